import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import type { StudyData } from "~/domain/types";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "./db";
import { addMember, createUser, signedInCookie } from "./factories";
import { startTestServer } from "./server";

/** A test database holding `studies`, each written and published, with the server running on it. */
export function publishedStudies(...studies: StudyData[]) {
  return publishedStudiesWith({}, ...studies);
}

/** publishedStudies, with the job queue and its workers running in the server's process (coaching packs). */
export async function publishedStudiesWith(options: { jobs?: boolean }, ...studies: StudyData[]) {
  const database: Database = await createTestDatabase({ shared: options.jobs });
  for (const study of studies) {
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, study));
    await publishStudy(database.db, studyId);
  }
  const ids = new Map((await database.db.select().from(s.participants)).map((p) => [p.code, p.id]));
  const server = await startTestServer(database, { jobs: options.jobs });
  return {
    database,
    server,
    ids,
    /** A session cookie of a new member of the company with that code. */
    async memberCookie(code: string, role: "manager" | "teamlead" | "viewer" = "viewer") {
      const user = await createUser(database.db);
      await addMember(database.db, ids.get(code)!, user.id, role);
      return signedInCookie(database.db, user.id);
    },
    async close() {
      await server.close();
      await database.close();
    },
  };
}
