/* guestkit fuzz target: a guest's release files and fstab, read on the
 * host by the fast inspection (lib/ondisk/osinfo.c, lib/ondisk/fstab.c).
 * The first byte chooses which release files the input is (os-release,
 * redhat-release, debian_version, split at NUL bytes) and which of the
 * presence flags are set; the whole input is also parsed as an fstab.
 * Checked: an identity is a known distribution name or "not sure", a
 * parsed fstab has at most the cap of entries with canonical absolute
 * or plain mountpoints, and every entry's spec has a kind.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "ondisk/fstab.h"
#include "ondisk/osinfo.h"

static void
check_identify (const uint8_t *data, size_t size)
{
  struct gk_release_files f = { 0 };
  struct gk_os_identity id;
  const char *parts[3] = { NULL, NULL, NULL };
  size_t lens[3] = { 0, 0, 0 };
  const char *p = (const char *) data + 1, *end = (const char *) data + size;
  const char *why = NULL;
  uint8_t sel = data[0];

  for (size_t i = 0; i < 3 && p <= end; ++i) {
    const char *nul = memchr (p, '\0', (size_t) (end - p));
    size_t len = nul ? (size_t) (nul - p) : (size_t) (end - p);

    if (sel & (1u << i)) {
      parts[i] = p;
      lens[i] = len;
    }
    p += len + 1;
  }
  f.os_release = parts[0];
  f.os_release_len = lens[0];
  f.redhat_release = parts[1];
  f.redhat_release_len = lens[1];
  f.debian_version = parts[2];
  f.debian_version_len = lens[2];
  f.lsb_release = sel & 0x08;
  f.rh_derivative = sel & 0x10;
  f.later = sel & 0x20;
  if (gk_identify_linux (&f, &id, &why) == -1) {
    FUZZ_CHECK (why != NULL);
    return;
  }
  FUZZ_CHECK (memchr (id.distro, '\0', sizeof id.distro) != NULL);
  FUZZ_CHECK (id.major >= 0 && id.minor >= 0);
  FUZZ_CHECK (!id.has_version || id.distro[0] != '\0' ||
              f.os_release != NULL);
  FUZZ_CHECK (strcmp (gk_package_format (id.distro), "") != 0);
  FUZZ_CHECK (strcmp (gk_package_management (id.distro, id.major,
                                             sel & 0x40), "") != 0);
}

static void
check_fstab (const uint8_t *data, size_t size)
{
  gk_fstab f = empty_vector;
  const char *why = NULL;

  if (gk_fstab_parse ((const char *) data, size, &f, &why) == -1) {
    FUZZ_CHECK (why != NULL && f.len == 0);
    return;
  }
  FUZZ_CHECK (f.len <= GK_FSTAB_MAX_ENTRIES);
  for (size_t i = 0; i < f.len; ++i) {
    const struct gk_fstab_entry *e = &f.ptr[i];
    struct gk_spec s;
    size_t n = strlen (e->file);

    FUZZ_CHECK (e->spec[0] != '\0' && n > 0 && e->vfstype[0] != '\0');
    FUZZ_CHECK (strstr (e->file, "//") == NULL);
    FUZZ_CHECK (n == 1 || e->file[n - 1] != '/');
    gk_fstab_spec (e, &s);
    FUZZ_CHECK (s.kind <= GK_SPEC_UNSURE);
    FUZZ_CHECK ((s.value != NULL) ==
                (s.kind >= GK_SPEC_UUID && s.kind <= GK_SPEC_PARTLABEL));
    if (s.kind == GK_SPEC_XDEV)
      FUZZ_CHECK (strspn (s.part, "0123456789") == strlen (s.part));
    free (s.value);
  }
  gk_fstab_free (&f);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  check_identify (data, size);
  check_fstab (data, size);
  return 0;
}
