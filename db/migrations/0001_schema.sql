CREATE TYPE "public"."band" AS ENUM('perfect', 'high', 'mid', 'low');--> statement-breakpoint
CREATE TYPE "public"."booking_status" AS ENUM('held', 'confirmed', 'cancelled', 'expired');--> statement-breakpoint
CREATE TYPE "public"."channel" AS ENUM('phone', 'email', 'chat', 'messenger');--> statement-breakpoint
CREATE TYPE "public"."gender" AS ENUM('female', 'male', 'other');--> statement-breakpoint
CREATE TYPE "public"."import_kind" AS ENUM('questionnaire', 'participants', 'results');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('card', 'invoice');--> statement-breakpoint
CREATE TYPE "public"."question_kind" AS ENUM('points', 'nps', 'csat', 'ces', 'scale7');--> statement-breakpoint
CREATE TYPE "public"."study_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TYPE "public"."tenant_role" AS ENUM('manager', 'teamlead', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."coaching_format" AS ENUM('on_site', 'video');--> statement-breakpoint
CREATE TABLE "areas" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "areas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"weight" numeric(9, 4) NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "areas_studyId_code_unique" UNIQUE("study_id","code"),
	CONSTRAINT "areas_weight_nonnegative" CHECK ("areas"."weight" >= 0)
);
--> statement-breakpoint
CREATE TABLE "classes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "classes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "classes_studyId_code_unique" UNIQUE("study_id","code")
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "questions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"area_id" integer NOT NULL,
	"code" text NOT NULL,
	"text" text NOT NULL,
	"kind" "question_kind" DEFAULT 'points' NOT NULL,
	"max_points" smallint,
	"channels" "channel"[],
	"position" smallint NOT NULL,
	CONSTRAINT "questions_studyId_code_unique" UNIQUE("study_id","code"),
	CONSTRAINT "questions_max_points" CHECK (("questions"."kind" = 'points' and "questions"."max_points" between 1 and 10) or ("questions"."kind" <> 'points' and "questions"."max_points" is null))
);
--> statement-breakpoint
CREATE TABLE "shoppers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shoppers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"code" text NOT NULL,
	"gender" "gender" NOT NULL,
	"age" smallint NOT NULL,
	"region" text NOT NULL,
	CONSTRAINT "shoppers_studyId_code_unique" UNIQUE("study_id","code"),
	CONSTRAINT "shoppers_age" CHECK ("shoppers"."age" between 18 and 99)
);
--> statement-breakpoint
CREATE TABLE "studies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "studies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"name" text NOT NULL,
	"status" "study_status" DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "studies_year_unique" UNIQUE("year")
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"org_number" text,
	"hide_agent_names" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participants_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "participants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "participations" (
	"tenant_id" uuid NOT NULL,
	"study_id" integer NOT NULL,
	"class_id" integer NOT NULL,
	"display_name" text NOT NULL,
	"inquiry_count" integer DEFAULT 0 NOT NULL,
	"answered_count" integer DEFAULT 0 NOT NULL,
	"total_score" numeric(12, 6),
	CONSTRAINT "participations_tenant_id_study_id_pk" PRIMARY KEY("tenant_id","study_id")
);
--> statement-breakpoint
ALTER TABLE "participations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "answers" (
	"tenant_id" uuid NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"question_id" integer NOT NULL,
	"value" smallint NOT NULL,
	"percent" double precision,
	CONSTRAINT "answers_tenant_id_inquiry_id_question_id_pk" PRIMARY KEY("tenant_id","inquiry_id","question_id"),
	CONSTRAINT "answers_value_range" CHECK ("answers"."value" between 0 and 10)
);
--> statement-breakpoint
ALTER TABLE "answers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "inquiries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"study_id" integer NOT NULL,
	"ref" text NOT NULL,
	"channel" "channel" NOT NULL,
	"shopper_id" integer NOT NULL,
	"scenario" text NOT NULL,
	"contacted_at" timestamp with time zone NOT NULL,
	"attempts" smallint NOT NULL,
	"answered" boolean NOT NULL,
	"wait_seconds" integer,
	"agent_name" text,
	"comment" text,
	"transcript" text,
	"total_score" numeric(5, 2) NOT NULL,
	"band" "band" NOT NULL,
	"import_batch_id" integer,
	CONSTRAINT "inquiries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inquiries_tenantId_studyId_ref_unique" UNIQUE("tenant_id","study_id","ref"),
	CONSTRAINT "inquiries_attempts" CHECK ("inquiries"."attempts" in (1, 2) and ("inquiries"."channel" <> 'email' or "inquiries"."attempts" = 1)),
	CONSTRAINT "inquiries_score_range" CHECK ("inquiries"."total_score" between 0 and 100),
	CONSTRAINT "inquiries_unanswered_zero" CHECK ("inquiries"."answered" or ("inquiries"."total_score" = 0 and "inquiries"."wait_seconds" is null))
);
--> statement-breakpoint
ALTER TABLE "inquiries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "inquiry_area_scores" (
	"tenant_id" uuid NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"area_id" integer NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	CONSTRAINT "inquiry_area_scores_tenant_id_inquiry_id_area_id_pk" PRIMARY KEY("tenant_id","inquiry_id","area_id")
);
--> statement-breakpoint
ALTER TABLE "inquiry_area_scores" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invitations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"role" "tenant_role" NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "tenant_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "password_resets_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"active_tenant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"absolute_expires_at" timestamp with time zone NOT NULL,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"is_staff" boolean DEFAULT false NOT NULL,
	"locale" text DEFAULT 'nb' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bookings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"booked_by" uuid,
	"focus" text DEFAULT '' NOT NULL,
	"export_id" uuid,
	"status" "booking_status" NOT NULL,
	"payment_method" "payment_method" NOT NULL,
	"stripe_checkout_session_id" text,
	"held_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "bookings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "bookings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "coach_slots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coach_slots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"coach_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "coach_slots_order" CHECK ("coach_slots"."ends_at" > "coach_slots"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "coaches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coaches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"email" text NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"languages" text[] DEFAULT '{nb}'::text[] NOT NULL,
	"active" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coaching_exports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"study_id" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"format" text NOT NULL,
	"selection" jsonb NOT NULL,
	"file_name" text NOT NULL,
	"content" "bytea",
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "coaching_exports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "coaching_exports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "coaching_products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coaching_products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name_nb" text NOT NULL,
	"name_en" text NOT NULL,
	"description_nb" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"price_ore" integer NOT NULL,
	"vat_percent" integer DEFAULT 25 NOT NULL,
	"duration_minutes" integer NOT NULL,
	"format" "coaching_format" NOT NULL,
	"active" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "coaching_products_price" CHECK ("coaching_products"."price_ore" > 0 and "coaching_products"."duration_minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"method" "payment_method" NOT NULL,
	"amount_ore" integer NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"stripe_payment_intent_id" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"refunded_at" timestamp with time zone,
	CONSTRAINT "payments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"kind" "import_kind" NOT NULL,
	"file_name" text NOT NULL,
	"checksum" text NOT NULL,
	"row_count" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"replaced" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benchmark_channel" (
	"study_id" integer NOT NULL,
	"channel" "channel" NOT NULL,
	"inquiries" integer NOT NULL,
	"mean" numeric(12, 6) NOT NULL,
	"band_perfect" integer NOT NULL,
	"band_high" integer NOT NULL,
	"band_mid" integer NOT NULL,
	"band_low" integer NOT NULL,
	CONSTRAINT "benchmark_channel_study_id_channel_pk" PRIMARY KEY("study_id","channel")
);
--> statement-breakpoint
CREATE TABLE "benchmark_class" (
	"class_id" integer PRIMARY KEY NOT NULL,
	"study_id" integer NOT NULL,
	"participants" integer NOT NULL,
	"inquiries" integer NOT NULL,
	"shown" boolean NOT NULL,
	"mean" numeric(12, 6),
	"best" numeric(12, 6),
	"typical_std_dev" numeric(12, 6),
	"band_perfect" integer NOT NULL,
	"band_high" integer NOT NULL,
	"band_mid" integer NOT NULL,
	"band_low" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benchmark_class_area" (
	"class_id" integer NOT NULL,
	"area_id" integer NOT NULL,
	"mean" numeric(12, 6) NOT NULL,
	"best" numeric(12, 6) NOT NULL,
	CONSTRAINT "benchmark_class_area_class_id_area_id_pk" PRIMARY KEY("class_id","area_id")
);
--> statement-breakpoint
CREATE TABLE "benchmark_class_channel" (
	"class_id" integer NOT NULL,
	"channel" "channel" NOT NULL,
	"inquiries" integer NOT NULL,
	"mean" numeric(12, 6) NOT NULL,
	"best" numeric(12, 6) NOT NULL,
	CONSTRAINT "benchmark_class_channel_class_id_channel_pk" PRIMARY KEY("class_id","channel")
);
--> statement-breakpoint
CREATE TABLE "benchmark_class_question" (
	"class_id" integer NOT NULL,
	"question_id" integer NOT NULL,
	"mean" numeric(12, 6) NOT NULL,
	"best" numeric(12, 6) NOT NULL,
	CONSTRAINT "benchmark_class_question_class_id_question_id_pk" PRIMARY KEY("class_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "benchmark_ranking" (
	"study_id" integer NOT NULL,
	"class_id" integer NOT NULL,
	"participant_id" uuid NOT NULL,
	"participant_name" text NOT NULL,
	"total_score" numeric(12, 6) NOT NULL,
	"rank" integer NOT NULL,
	CONSTRAINT "benchmark_ranking_study_id_participant_id_pk" PRIMARY KEY("study_id","participant_id")
);
--> statement-breakpoint
CREATE TABLE "benchmark_study" (
	"study_id" integer PRIMARY KEY NOT NULL,
	"participants" integer NOT NULL,
	"inquiries" integer NOT NULL,
	"answered" integer NOT NULL,
	"mean" numeric(12, 6) NOT NULL,
	"band_perfect" integer NOT NULL,
	"band_high" integer NOT NULL,
	"band_mid" integer NOT NULL,
	"band_low" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"study_id" integer,
	"participant_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_audit_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "tenant_audit_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "tenant_audit_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"ics_attachment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shoppers" ADD CONSTRAINT "shoppers_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_inquiry_fk" FOREIGN KEY ("tenant_id","inquiry_id") REFERENCES "public"."inquiries"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiries" ADD CONSTRAINT "inquiries_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiries" ADD CONSTRAINT "inquiries_shopper_id_shoppers_id_fk" FOREIGN KEY ("shopper_id") REFERENCES "public"."shoppers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiries" ADD CONSTRAINT "inquiries_participation_fk" FOREIGN KEY ("tenant_id","study_id") REFERENCES "public"."participations"("tenant_id","study_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_area_scores" ADD CONSTRAINT "inquiry_area_scores_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_area_scores" ADD CONSTRAINT "inquiry_area_scores_inquiry_fk" FOREIGN KEY ("tenant_id","inquiry_id") REFERENCES "public"."inquiries"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_slot_id_coach_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."coach_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_product_id_coaching_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."coaching_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_booked_by_users_id_fk" FOREIGN KEY ("booked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_slots" ADD CONSTRAINT "coach_slots_coach_id_coaches_id_fk" FOREIGN KEY ("coach_id") REFERENCES "public"."coaches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD CONSTRAINT "coaching_exports_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD CONSTRAINT "coaching_exports_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD CONSTRAINT "coaching_exports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_booking_fk" FOREIGN KEY ("tenant_id","booking_id") REFERENCES "public"."bookings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_channel" ADD CONSTRAINT "benchmark_channel_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class" ADD CONSTRAINT "benchmark_class_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class" ADD CONSTRAINT "benchmark_class_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class_area" ADD CONSTRAINT "benchmark_class_area_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class_area" ADD CONSTRAINT "benchmark_class_area_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class_channel" ADD CONSTRAINT "benchmark_class_channel_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class_question" ADD CONSTRAINT "benchmark_class_question_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_class_question" ADD CONSTRAINT "benchmark_class_question_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_ranking" ADD CONSTRAINT "benchmark_ranking_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_ranking" ADD CONSTRAINT "benchmark_ranking_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_study" ADD CONSTRAINT "benchmark_study_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_audit_events" ADD CONSTRAINT "tenant_audit_events_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_audit_events" ADD CONSTRAINT "tenant_audit_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "questions_area_id_index" ON "questions" USING btree ("area_id");--> statement-breakpoint
CREATE INDEX "participations_study_id_class_id_index" ON "participations" USING btree ("study_id","class_id");--> statement-breakpoint
CREATE INDEX "inquiries_tenant_id_study_id_contacted_at_index" ON "inquiries" USING btree ("tenant_id","study_id","contacted_at");--> statement-breakpoint
CREATE INDEX "invitations_token_hash_index" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "memberships_user_id_index" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "password_resets_user_id_index" ON "password_resets" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_id_index" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "api_tokens_token_hash_index" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_one_active_per_slot" ON "bookings" USING btree ("slot_id") WHERE status in ('held', 'confirmed');--> statement-breakpoint
CREATE INDEX "bookings_stripe_checkout_session_id_index" ON "bookings" USING btree ("stripe_checkout_session_id");--> statement-breakpoint
CREATE INDEX "coach_slots_coach_id_starts_at_index" ON "coach_slots" USING btree ("coach_id","starts_at");--> statement-breakpoint
CREATE INDEX "import_batches_study_id_kind_index" ON "import_batches" USING btree ("study_id","kind");--> statement-breakpoint
CREATE INDEX "audit_events_at_index" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "tenant_audit_events_tenant_id_at_index" ON "tenant_audit_events" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "email_outbox_sent_at_next_attempt_at_index" ON "email_outbox" USING btree ("sent_at","next_attempt_at");--> statement-breakpoint
CREATE POLICY "participants_tenant_isolation" ON "participants" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("participants"."id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("participants"."id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "participants_owner_access" ON "participants" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "participations_tenant_isolation" ON "participations" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("participations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("participations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "participations_owner_access" ON "participations" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "answers_tenant_isolation" ON "answers" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("answers"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("answers"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "answers_owner_access" ON "answers" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "inquiries_tenant_isolation" ON "inquiries" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("inquiries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("inquiries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "inquiries_owner_access" ON "inquiries" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "inquiry_area_scores_tenant_isolation" ON "inquiry_area_scores" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("inquiry_area_scores"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("inquiry_area_scores"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "inquiry_area_scores_owner_access" ON "inquiry_area_scores" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "invitations_tenant_isolation" ON "invitations" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("invitations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("invitations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "invitations_owner_access" ON "invitations" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "memberships_tenant_isolation" ON "memberships" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("memberships"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("memberships"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "memberships_owner_access" ON "memberships" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "users_tenant_members" ON "users" AS PERMISSIVE FOR SELECT TO "innsikt_tenant" USING (exists (select 1 from memberships m where m.user_id = "users"."id" and m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "users_owner_access" ON "users" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "api_tokens_tenant_isolation" ON "api_tokens" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("api_tokens"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("api_tokens"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "api_tokens_owner_access" ON "api_tokens" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "bookings_tenant_isolation" ON "bookings" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("bookings"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("bookings"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "bookings_owner_access" ON "bookings" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "coaching_exports_tenant_isolation" ON "coaching_exports" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("coaching_exports"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("coaching_exports"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "coaching_exports_owner_access" ON "coaching_exports" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "payments_tenant_isolation" ON "payments" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("payments"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("payments"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "payments_owner_access" ON "payments" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_audit_events_tenant_isolation" ON "tenant_audit_events" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("tenant_audit_events"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_audit_events"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_audit_events_owner_access" ON "tenant_audit_events" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);