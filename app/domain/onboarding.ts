// The words of onboarding (issue 17), shared by the staff pages (server and browser) and the models.

/** What a contacts file's row finds: a new person, an invitation run out (sent again), an open invitation, a member. */
export type ContactStatus = "new" | "expired" | "invited" | "member";
/** The statuses a send invites. */
export const SENT_STATUSES: readonly ContactStatus[] = ["new", "expired"];

/** A company of a study: a manager has signed in; a manager is invited (or never signed in); no manager. */
export const ONBOARDING_STATES = ["signedIn", "invited", "nobody"] as const;
export type OnboardingState = (typeof ONBOARDING_STATES)[number];
