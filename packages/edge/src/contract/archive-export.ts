// The admin archive export (GET /v1/archive/events, GET /v1/archive/events/:day/:file): what the listing answers
// and which file names a download accepts. The route builds its answer with these types and `attune export
// events` parses it with the schema, so the two cannot drift apart.
import * as z from './zod.js';

/**
 * A file name of the archive as it sits in a day partition (`part-<id>.parquet`, `compact-<digest>.parquet`): the
 * characters the layout leaves plain plus `%` of its escapes, so never a `/`, a `\` or a path of its own.
 */
export const ARCHIVE_FILE_NAME = /^[A-Za-z0-9._%-]{1,240}\.parquet$/;

/** Whether `name` may name a file of a day partition (a name is data: no `/`, no `..`). */
export const isArchiveFileName = (name: string): boolean => ARCHIVE_FILE_NAME.test(name) && !name.includes('..');

/** How a download is served (response header `x-attune-archive`). */
export const SERVED_HEADER = 'x-attune-archive';
/** Rows of erased people left out of a filtered download (response header). */
export const HIDDEN_HEADER = 'x-attune-hidden-rows';

export const archiveFileSchema = z.object({
  /** the file name in its day partition; GET /v1/archive/events/:day/:name (URI-encoded) downloads it */
  name: z.string().check(z.regex(ARCHIVE_FILE_NAME)),
  /** the R2 key: `events/site=<site>/day=<day>/<name>` */
  key: z.string(),
  /** bytes of the stored object */
  size: z.int().check(z.nonnegative()),
  /** R2's etag of the stored object (the MD5 of its bytes, hex, for a file written in one PUT) */
  etag: z.string(),
  /** rows, as the writer noted them; absent when unknown */
  rows: z.optional(z.int().check(z.nonnegative())),
  /** when R2 stored it (ISO) */
  uploaded: z.string(),
  /**
   * true while the day holds rows of an erased person that no compaction has removed yet: the download is then
   * re-encoded without them, so its bytes differ from `size` and `etag` (which describe the stored object)
   */
  filtered: z.boolean(),
});

export const archiveDaySchema = z.object({
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  files: z.array(archiveFileSchema),
  /** the files' stored bytes */
  bytes: z.int().check(z.nonnegative()),
  /** the files' rows when every file says (repeats included until compaction), else null */
  rows: z.nullable(z.int().check(z.nonnegative())),
});

export const archiveListingSchema = z.object({
  site: z.string(),
  since: z.string(),
  until: z.nullable(z.string()),
  days: z.array(archiveDaySchema),
});

export type ArchiveFile = z.infer<typeof archiveFileSchema>;
export type ArchiveDay = z.infer<typeof archiveDaySchema>;
export type ArchiveListing = z.infer<typeof archiveListingSchema>;
