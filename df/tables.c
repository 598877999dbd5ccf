/* virt-df: partition tables the appliance must not see.
 *
 * A chain of logical partitions (EBRs) that links back on itself makes
 * the appliance's kernel create partitions up to its limit, all the
 * same, and libguestfs's list_filesystems then works on them for as
 * long as anyone waits (a crafted image hangs virt-df, and upstream's).
 * So the table of each local disk is read on the host first, by the
 * parser virt-resize uses; a loop makes that guest an error.  Other
 * damage is left to the appliance, whose kernel reads what it can: a
 * GPT with a damaged backup header is still measured, as upstream.
 * Only if nothing is found on such a disk is the damage the error.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diskio/format.h"
#include "diskio/image.h"
#include "ondisk/ptable.h"
#include "ondisk/reader.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "df.h"

/* Whether sector 0 (BUF, 512 bytes) holds an MBR (or GPT's protective
 * one) at all, as the parser and the kernel decide: 0x55AA and valid
 * boot flags.  A filesystem on the whole disk, or random bytes, has
 * none, which is no error.
 */
static bool
has_table (const uint8_t *buf)
{
  if (buf[510] != 0x55 || buf[511] != 0xaa)
    return false;
  for (int i = 0; i < 4; ++i)
    if (buf[446 + 16 * i] != 0 && buf[446 + 16 * i] != 0x80)
      return false;
  return true;
}

static int
check_table (const char *name, gk_pread_fn pread, void *opaque,
             uint64_t size, char **problem)
{
  uint8_t sector0[512];
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_ptable *table = NULL;

  if (size < sizeof sector0 ||
      pread (opaque, sector0, sizeof sector0, 0, &errmsg) == -1 ||
      !has_table (sector0))
    return 0;                   /* the appliance says what it finds */
  if (gk_ptable_read (pread, opaque, size, &table, &errmsg) == 0) {
    gk_ptable_free (table);
    return 0;
  }
  /* The parser's words for a loop: "backwards (a loop)", "it probably
   * loops" (ondisk/mbr.c).
   */
  if (strstr (errmsg, "loop") == NULL) {
    *problem = errmsg;
    errmsg = NULL;
    return 0;
  }
  gk_error_noexit ("%s: %s", name, errmsg);
  return -1;
}

int
df_check_partition_table (const struct gk_drive *d, char **problem)
{
  CLEANUP_FREE char *detected = NULL;
  const char *format = d->format;
  struct gk_image *disk;
  struct stat st;
  int r;

  if (d->type != GK_DRIVE_FILE)
    return 0;
  if (format == NULL) {
    detected = gk_image_detect_format (d->path);
    if (detected == NULL)
      return -1;
    format = detected;
  }
  if (STREQ (format, "raw")) {
    int fd = open (d->path, O_RDONLY | O_CLOEXEC);

    if (fd == -1 || fstat (fd, &st) == -1) {
      gk_error_noexit ("%s: %s", d->arg, strerror (errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
    /* A block device's size is not st_size; its table is the kernel's
     * business anyway, as for any disk of the host.
     */
    r = S_ISREG (st.st_mode)
      ? check_table (d->arg, gk_fd_pread_fn, &fd, st.st_size, problem)
      : 0;
    close (fd);
    return r;
  }
  /* A running guest's image: qemu's locks would refuse us. */
  disk = gk_image_open_shared (d->path, format);
  if (disk == NULL)
    return -1;
  r = check_table (d->arg, gk_image_pread_fn, disk, gk_image_size (disk),
                   problem);
  if (gk_image_close (disk) == -1)
    r = -1;
  return r;
}
