// The settings form of single sign-on, as both the company's manager and staff send it: the
// same schema, the same checks, the same answers; the caller names the company (from the
// session's membership or from the staff page's company) and the actor.
import type { Db } from "#db/client.server";
import { parseDomains, SsoSettingsSchema } from "~/domain/sso";
import { withParams } from "~/ui/field";
import { parseWithZod, type FormReply } from "~/ui/form";
import { removeSsoSettings, saveSsoSettings } from "./sso.server";

export type SsoFormAnswer = { intent: "sso" | "sso-remove"; ok: boolean; reply: FormReply | null; message: "sso.saved" | "sso.removed" | null };

export async function submitSsoForm(db: Db, formData: FormData, who: { tenantId: string; actorUserId: string }): Promise<{ status: number; answer: SsoFormAnswer }> {
  if (formData.get("intent") === "sso-remove") {
    await removeSsoSettings(db, who);
    return { status: 200, answer: { intent: "sso-remove", ok: true, reply: null, message: "sso.removed" } };
  }
  const submission = parseWithZod(formData, { schema: SsoSettingsSchema });
  const refused = (reply: FormReply) => ({ status: 400, answer: { intent: "sso" as const, ok: false, reply, message: null } });
  if (submission.status !== "success") return refused(submission.reply({ hideFields: ["clientSecret"] }));
  const parsed = parseDomains(submission.value.domains);
  if ("error" in parsed) {
    const error = parsed.domain ? withParams(parsed.error, { domain: parsed.domain }) : parsed.error;
    return refused(submission.reply({ fieldErrors: { domains: [error] }, hideFields: ["clientSecret"] }));
  }
  const outcome = await saveSsoSettings(db, { ...who, settings: submission.value, domains: parsed.domains });
  if (!outcome.ok) {
    if (outcome.error === "sso.error.domainTaken" || outcome.error === "sso.error.domainInUse") {
      return refused(submission.reply({ fieldErrors: { domains: [withParams(outcome.error, { domain: outcome.domain })] }, hideFields: ["clientSecret"] }));
    }
    if (outcome.error === "sso.error.secretRequired") return refused(submission.reply({ fieldErrors: { clientSecret: [outcome.error] }, hideFields: ["clientSecret"] }));
    return refused(submission.reply({ formErrors: [outcome.error], hideFields: ["clientSecret"] }));
  }
  return { status: 200, answer: { intent: "sso", ok: true, reply: submission.reply({ hideFields: ["clientSecret"] }), message: "sso.saved" } };
}
