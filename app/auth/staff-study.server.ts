import { getDatabase } from "#db/client.server";
import { MAX_STUDY_YEAR, MIN_STUDY_YEAR } from "~/domain/types";
import { getStudyByYear } from "~/models/studies/study.server";
import { notFound, requireStaff } from "./guards.server";

/**
 * Every staff page of one study starts here: staff only (403 otherwise), then the study of the
 * URL's year; 404 for a malformed year or one with no study.
 */
export async function requireStaffStudy(request: Request, params: { year?: string }) {
  const staff = await requireStaff(request);
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < MIN_STUDY_YEAR || year > MAX_STUDY_YEAR) throw notFound();
  const { db } = await getDatabase();
  const study = await getStudyByYear(db, year);
  if (!study) throw notFound();
  return { db, study, staff };
}
