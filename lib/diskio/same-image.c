/* guestkit: refusing an output that is the input under another name
 * (see same-image.h).
 *
 * Comparing names misses ./disk.img, symlinks, hard links, bind mounts
 * and a qcow2 whose backing file is the output; all of them would have
 * a tool overwrite what it is reading.  So files are compared by what
 * they are: device and inode for files, device number for block
 * devices, with a loop device standing for its backing file and a
 * partition overlapping its whole disk.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "diskio/image-internal.h"
#include "diskio/qemu-json.h"
#include "diskio/same-image.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"

/* What a local path is. */
struct identity {
  bool block;                   /* block device: rdev, disk */
  dev_t dev;                    /* file: st_dev, st_ino */
  ino_t ino;
  dev_t rdev;
  dev_t disk;                   /* a partition's whole disk, else rdev */
  bool has_backing;             /* a loop device (or its partition): */
  dev_t backing_dev;            /* its backing file */
  ino_t backing_ino;
};

/* "MAJ:MIN\n" in FILE. */
static bool
read_devno (const char *file, dev_t *out)
{
  CLEANUP_FREE char *text = gk_read_small_file (file);
  unsigned maj, min;

  if (sscanf (text, "%u:%u", &maj, &min) != 2)
    return false;
  *out = makedev (maj, min);
  return true;
}

/* The whole disk of a partition and the backing file of a loop
 * device, from sysfs.  Missing information only makes the check
 * weaker, never fails it.
 */
static void
identify_block (struct identity *id)
{
  CLEANUP_FREE char *link = xasprintf ("/sys/dev/block/%u:%u",
                                       major (id->rdev), minor (id->rdev));
  CLEANUP_FREE char *dir = realpath (link, NULL);
  CLEANUP_FREE char *part = NULL;
  CLEANUP_FREE char *whole = NULL;
  CLEANUP_FREE char *backing_file = NULL;
  CLEANUP_FREE char *backing = NULL;
  struct stat st;
  size_t len;

  id->disk = id->rdev;
  if (dir == NULL)
    return;
  part = xasprintf ("%s/partition", dir);
  if (access (part, F_OK) == 0) {
    CLEANUP_FREE char *parent_dev = NULL;
    char *slash = strrchr (dir, '/');

    if (slash == NULL)
      return;
    whole = xstrndup (dir, slash - dir);
    parent_dev = xasprintf ("%s/dev", whole);
    if (!read_devno (parent_dev, &id->disk))
      id->disk = id->rdev;
  }
  else
    whole = xstrdup (dir);

  backing_file = xasprintf ("%s/loop/backing_file", whole);
  backing = gk_read_small_file (backing_file);
  len = strlen (backing);
  if (len > 0 && backing[len - 1] == '\n')
    backing[--len] = '\0';
  if (len > 0 && stat (backing, &st) == 0) {
    id->has_backing = true;
    id->backing_dev = st.st_dev;
    id->backing_ino = st.st_ino;
  }
}

static bool
identify (const char *path, struct identity *id)
{
  struct stat st;

  memset (id, 0, sizeof *id);
  if (stat (path, &st) == -1)
    return false;
  if (S_ISBLK (st.st_mode)) {
    id->block = true;
    id->rdev = st.st_rdev;
    identify_block (id);
  }
  else {
    id->dev = st.st_dev;
    id->ino = st.st_ino;
  }
  return true;
}

static bool
file_is (const struct identity *id, dev_t dev, ino_t ino)
{
  return !id->block && id->dev == dev && id->ino == ino;
}

/* Why writing OUT would change IN, or NULL if it would not. */
static char *
overlap (const char *in_name, const struct identity *in,
         const char *out_name, const struct identity *out)
{
  if (in->block && out->block) {
    if (in->rdev == out->rdev)
      return xasprintf ("%s and %s are the same device", in_name, out_name);
    if (in->disk == out->rdev)
      return xasprintf ("%s is a partition of %s", in_name, out_name);
    if (out->disk == in->rdev)
      return xasprintf ("%s is a partition of %s", out_name, in_name);
    if (in->has_backing && out->has_backing &&
        in->backing_dev == out->backing_dev &&
        in->backing_ino == out->backing_ino)
      return xasprintf ("%s and %s are loop devices of the same file",
                        in_name, out_name);
    return NULL;
  }
  if (!in->block && !out->block) {
    if (in->dev == out->dev && in->ino == out->ino)
      return xasprintf ("%s and %s are the same file", in_name, out_name);
    return NULL;
  }
  if (in->block && in->has_backing &&
      file_is (out, in->backing_dev, in->backing_ino))
    return xasprintf ("%s is a loop device of %s", in_name, out_name);
  if (out->block && out->has_backing &&
      file_is (in, out->backing_dev, out->backing_ino))
    return xasprintf ("%s is a loop device of %s", out_name, in_name);
  return NULL;
}

/* The files INPUT reads, itself first, as qemu-img names them (paths
 * relative to our working directory, or URIs).  Without qemu-img's
 * answer (it cannot read INPUT: opening it will say why), INPUT alone.
 */
static void
backing_chain (const char *input, const char *format, string_vector *files)
{
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_command_result result;
  struct gk_json *chain;
  const char *argv[10];
  size_t i = 0;

  string_vector_append (files, xstrdup (input));
  /* -U: only the headers are read, and the input may be in use. */
  argv[i++] = QEMU_IMG;
  argv[i++] = "info";
  argv[i++] = "-U";
  argv[i++] = "--backing-chain";
  argv[i++] = "--output=json";
  if (format) {
    argv[i++] = "-f";
    argv[i++] = format;
  }
  argv[i++] = "--";
  argv[i++] = input;
  argv[i] = NULL;
  {
    const struct gk_command cmd = { .argv = argv, .capture_stdout = true };

    if (gk_command_run (&cmd, &result) == -1)
      return;
  }
  if (!gk_command_exited (&result, 0)) {
    free (result.output);
    return;
  }
  chain = gk_json_parse (result.output, &errmsg);
  free (result.output);
  if (chain == NULL) {
    gk_debug ("%s: qemu-img info --backing-chain: %s", input, errmsg);
    return;
  }
  if (chain->type == GK_JSON_ARRAY)
    for (size_t j = 1; j < chain->len; ++j) {
      const char *name = gk_json_string (&chain->items[j], "filename");

      if (name)
        string_vector_append (files, xstrdup (name));
    }
  gk_json_free (chain);
}

int
gk_image_same_file_check (const char *input, const char *input_format,
                          const char *output)
{
  string_vector files = { 0 };
  struct identity out_id;
  bool out_local;
  CLEANUP_FREE char *why = NULL;

  /* A name is the same name whatever it points to (or if nothing). */
  if (STREQ (input, output)) {
    gk_error_noexit ("you cannot use the same disk image for input and "
                     "output");
    return -1;
  }
  out_local = !gk_is_uri (output) && identify (output, &out_id);

  backing_chain (input, input_format, &files);
  for (size_t i = 0; i < files.len && why == NULL; ++i) {
    const char *name = files.ptr[i];
    struct identity in_id;

    if (gk_is_uri (name) || !out_local) {
      if (STREQ (name, output))
        why = xasprintf ("%s is a backing file of %s", output, input);
      continue;
    }
    if (!identify (name, &in_id))
      continue;
    why = overlap (name, &in_id, output, &out_id);
    if (why && i > 0) {
      free (why);
      why = xasprintf ("%s is a backing file of %s", output, input);
    }
  }
  string_vector_free_all (&files);
  if (why) {
    gk_error_noexit ("you cannot use the same disk image for input and "
                     "output (%s)", why);
    return -1;
  }
  return 0;
}
