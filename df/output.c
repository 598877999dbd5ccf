/* virt-df: the text, CSV and JSON output formats.
 *
 * Text and CSV are byte-for-byte those of upstream virt-df, because
 * scripts parse them; JSON is ours.
 */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/sizes.h"
#include "df.h"

#define NAME_WIDTH 36

static bool first_json_row = true;

void
df_write_csv_field (FILE *fp, const char *field)
{
  /* Quote only when needed, so plain fields stay plain. */
  if (strcspn (field, " \",\n") == strlen (field)) {
    fputs (field, fp);
    return;
  }
  fputc ('"', fp);
  for (const char *p = field; *p; ++p) {
    if (*p == '"')
      fputc ('"', fp);
    fputc (*p, fp);
  }
  fputc ('"', fp);
}

void
df_print_header (FILE *fp, const struct df_settings *s)
{
  const char *c1, *c2, *c3, *c4;

  if (s->format == FORMAT_JSON) {
    fputs ("[", fp);
    first_json_row = true;
    return;
  }
  if (s->inodes) {
    c1 = "Inodes"; c2 = "IUsed"; c3 = "IFree"; c4 = "IUse%";
  }
  else if (s->human) {
    c1 = "Size"; c2 = "Used"; c3 = "Available"; c4 = "Use%";
  }
  else {
    c1 = "1K-blocks"; c2 = "Used"; c3 = "Available"; c4 = "Use%";
  }
  if (s->format == FORMAT_CSV) {
    const char *cols[] = { "VirtualMachine", "Filesystem", c1, c2, c3, c4 };

    for (size_t i = 0; i < 6; ++i) {
      if (i > 0)
        fputc (',', fp);
      df_write_csv_field (fp, cols[i]);
    }
    fputc ('\n', fp);
  }
  else
    fprintf (fp, "%-*s%10s %10s %10s %5s\n", NAME_WIDTH, "Filesystem",
             c1, c2, c3, c4);
}

/* 100 - 100 * free / total, or -1 when the filesystem reports no
 * total (btrfs and vfat have no inode counts).
 */
static double
percent_used (uint64_t free, uint64_t total)
{
  if (total == 0)
    return -1;
  return 100.0 - 100.0 * (double) free / (double) total;
}

static void
print_json_percent (FILE *fp, double pct)
{
  if (pct < 0)
    fputs ("null", fp);
  else
    fprintf (fp, "%.1f", pct);
}

static void
print_json_row (FILE *fp, const struct df_guest *guest,
                const struct df_row *r)
{
  const struct guestfs_statvfs *st = &r->st;
  uint64_t bsize = (uint64_t) st->bsize;

  fputs (first_json_row ? "\n  {" : ",\n  {", fp);
  first_json_row = false;
  fputs ("\"guest\": ", fp);
  gk_json_write_string (fp, guest->name);
  if (guest->uuid) {
    fputs (", \"uuid\": ", fp);
    gk_json_write_string (fp, guest->uuid);
  }
  fputs (", \"filesystem\": ", fp);
  gk_json_write_string (fp, r->device);
  fputs (", \"type\": ", fp);
  gk_json_write_string (fp, r->type);
  fprintf (fp, ", \"block_size\": %" PRIu64, bsize);
  fprintf (fp, ", \"size\": %" PRIu64, (uint64_t) st->blocks * bsize);
  fprintf (fp, ", \"used\": %" PRIu64,
           (uint64_t) (st->blocks - st->bfree) * bsize);
  fprintf (fp, ", \"available\": %" PRIu64, (uint64_t) st->bavail * bsize);
  fputs (", \"use_percent\": ", fp);
  print_json_percent (fp, percent_used (st->bfree, st->blocks));
  fprintf (fp, ", \"inodes\": %" PRIu64 ", \"inodes_used\": %" PRIu64
           ", \"inodes_free\": %" PRIu64,
           (uint64_t) st->files, (uint64_t) (st->files - st->ffree),
           (uint64_t) st->ffree);
  fputs (", \"inodes_use_percent\": ", fp);
  print_json_percent (fp, percent_used (st->ffree, st->files));
  fputc ('}', fp);
}

static void
print_row (FILE *fp, const struct df_guest *guest, const struct df_row *r,
           const struct df_settings *s)
{
  const struct guestfs_statvfs *st = &r->st;
  const char *name = s->uuid && guest->uuid ? guest->uuid : guest->name;
  uint64_t bsize = (uint64_t) st->bsize;
  char cols[3][64];
  double pct;

  if (s->inodes) {
    sprintf (cols[0], "%" PRIu64, (uint64_t) st->files);
    sprintf (cols[1], "%" PRIu64, (uint64_t) (st->files - st->ffree));
    sprintf (cols[2], "%" PRIu64, (uint64_t) st->ffree);
    pct = percent_used (st->ffree, st->files);
  }
  else if (s->human) {
    gk_human_size_df ((uint64_t) st->blocks * bsize, cols[0]);
    gk_human_size_df ((uint64_t) (st->blocks - st->bfree) * bsize, cols[1]);
    gk_human_size_df ((uint64_t) st->bavail * bsize, cols[2]);
    pct = percent_used (st->bfree, st->blocks);
  }
  else {
    sprintf (cols[0], "%" PRIu64, (uint64_t) st->blocks * bsize / 1024);
    sprintf (cols[1], "%" PRIu64,
             (uint64_t) (st->blocks - st->bfree) * bsize / 1024);
    sprintf (cols[2], "%" PRIu64, (uint64_t) st->bavail * bsize / 1024);
    pct = percent_used (st->bfree, st->blocks);
  }
  if (pct < 0)
    pct = 0;
  /* Upstream keeps the percentage in a float, and it shows: 12.35% is
   * "12.4" in its CSV, and a hair over 50% on a big filesystem is "50%".
   */
  pct = (float) pct;

  if (s->format == FORMAT_CSV) {
    df_write_csv_field (fp, name);
    fputc (',', fp);
    df_write_csv_field (fp, r->device);
    fprintf (fp, ",%s,%s,%s,%.1f\n", cols[0], cols[1], cols[2], pct);
    return;
  }
  {
    CLEANUP_FREE char *label = xasprintf ("%s:%s", name, r->device);
    char pctbuf[16];

    if (strlen (label) > NAME_WIDTH)
      fprintf (fp, "%s\n%*s", label, NAME_WIDTH, "");
    else
      fprintf (fp, "%-*s", NAME_WIDTH, label);
    /* Like df(1), round the percentage up: a filesystem with one block
     * in use is not 0% full.
     */
    snprintf (pctbuf, sizeof pctbuf, "%3.0f%%", ceil (pct));
    fprintf (fp, "%10s %10s %10s %5s\n", cols[0], cols[1], cols[2], pctbuf);
  }
}

void
df_print_guest (FILE *fp, const struct df_guest *guest,
                const struct df_settings *s)
{
  for (size_t i = 0; i < guest->rows.len; ++i) {
    if (s->format == FORMAT_JSON)
      print_json_row (fp, guest, &guest->rows.ptr[i]);
    else
      print_row (fp, guest, &guest->rows.ptr[i], s);
  }
}

void
df_print_footer (FILE *fp, const struct df_settings *s)
{
  if (s->format == FORMAT_JSON)
    fputs (first_json_row ? "]\n" : "\n]\n", fp);
}
