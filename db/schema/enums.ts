import { pgEnum } from "drizzle-orm/pg-core";
import { BANDS, CHANNELS, GENDERS, QUESTION_KINDS, ROLES } from "../../app/domain/types";

export const channelEnum = pgEnum("channel", CHANNELS);
export const questionKindEnum = pgEnum("question_kind", QUESTION_KINDS);
export const bandEnum = pgEnum("band", BANDS);
export const genderEnum = pgEnum("gender", GENDERS);
export const tenantRoleEnum = pgEnum("tenant_role", ROLES);
export const studyStatusEnum = pgEnum("study_status", ["draft", "review", "published"]);
export const bookingStatusEnum = pgEnum("booking_status", ["held", "confirmed", "cancelled", "expired"]);
export const paymentMethodEnum = pgEnum("payment_method", ["card", "invoice"]);
export const queryStateEnum = pgEnum("query_state", ["open", "accepted", "partly_accepted", "rejected"]);
export const importKindEnum = pgEnum("import_kind", ["questionnaire", "participants", "results"]);
