/* guestkit: unit test of osinfo.c and fstab.c, the release-file and
 * fstab rules of the fast inspection.
 *
 * Each expected answer is libguestfs 1.48's for the same files (its
 * daemon/inspect_fs_unix.ml walk and inspect_fs_unix_fstab.ml), and
 * the "not sure" cases are those where libguestfs has a rule this
 * model does not: the caller then asks libguestfs.  Hostile inputs
 * (NULs, huge numbers, unterminated quotes) must give an answer or a
 * refusal, never a crash.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/fstab.h"
#include "ondisk/osinfo.h"
#include "utils/alloc.h"
#include "utils/tap.h"

struct files {
  const char *os_release, *redhat, *debian;
  bool lsb, rh_derivative, later;
};

/* "distro major.minor", "distro", or "not sure". */
static char *
identify (struct files in)
{
  struct gk_release_files f = {
    .os_release = in.os_release,
    .os_release_len = in.os_release ? strlen (in.os_release) : 0,
    .redhat_release = in.redhat,
    .redhat_release_len = in.redhat ? strlen (in.redhat) : 0,
    .debian_version = in.debian,
    .debian_version_len = in.debian ? strlen (in.debian) : 0,
    .lsb_release = in.lsb, .rh_derivative = in.rh_derivative,
    .later = in.later,
  };
  struct gk_os_identity id;
  const char *why = NULL;

  if (gk_identify_linux (&f, &id, &why) == -1)
    return xstrdup ("not sure");
  if (!id.has_version)
    return xstrdup (id.distro);
  return xasprintf ("%s %d.%d", id.distro, id.major, id.minor);
}

static void
check_identify (struct files in, const char *expected, const char *what)
{
  char *got = identify (in);

  is_str (got, expected, what);
  free (got);
}

#define DEBIAN_OS_RELEASE \
  "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n" \
  "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n"

static void
test_identify (void)
{
  /* Debian: os-release gives the major only, debian_version the rest. */
  check_identify ((struct files) { .os_release = DEBIAN_OS_RELEASE,
                                   .debian = "12.5\n" },
                  "debian 12.5", "Debian 12");
  check_identify ((struct files) { .os_release = DEBIAN_OS_RELEASE,
                                   .debian = "trixie/sid\n" },
                  "debian 12.0", "Debian testing keeps os-release's 12");
  check_identify ((struct files) { .os_release = DEBIAN_OS_RELEASE },
                  "debian 12.0", "Debian without debian_version");
  check_identify ((struct files) { .os_release = DEBIAN_OS_RELEASE,
                                   .debian = "\n", .later = true },
                  "not sure", "empty debian_version, later files");
  check_identify ((struct files) { .debian = "10.13\n" }, "debian 10.13",
                  "old Debian, no os-release");
  check_identify ((struct files) { .os_release = DEBIAN_OS_RELEASE,
                                   .lsb = true, .debian = "12.5\n" },
                  "not sure", "lsb-release is read before debian_version");
  /* Ubuntu: os-release is enough. */
  check_identify ((struct files) {
      .os_release = "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
                    "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nID=ubuntu\n",
      .lsb = true, .debian = "bookworm/sid\n" },
    "ubuntu 22.4", "Ubuntu");
  /* The fake RHEL tree of the sysprep tests: no PRETTY_NAME, so the
   * walk goes on to redhat-release.
   */
  check_identify ((struct files) {
      .os_release = "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\n"
                    "VERSION_ID=\"9.2\"\n",
      .redhat = "Red Hat Enterprise Linux release 9.2 (Plow)\n" },
    "rhel 9.2", "fake RHEL 9");
  check_identify ((struct files) {
      .redhat = "Red Hat Enterprise Linux Server release 7 (Maipo)\n" },
    "rhel 7.0", "RHEL without minor");
  check_identify ((struct files) {
      .redhat = "Red Hat Enterprise Linux AS release 4 (Nahant Update 9)\n" },
    "not sure", "RHEL 4 Update");
  check_identify ((struct files) {
      .redhat = "CentOS Linux release 7.9.2009 (Core)\n" },
    "centos 7.9", "CentOS 7 from redhat-release");
  check_identify ((struct files) {
      .redhat = "Fedora release 38 (Thirty Eight)\n" },
    "fedora 38.0", "Fedora from redhat-release");
  check_identify ((struct files) {
      .redhat = "Rocky Linux release 9.2 (Blue Onyx)\n" },
    "not sure", "a Red Hat based distribution libguestfs may know");
  check_identify ((struct files) { .redhat = "\n" }, "redhat-based",
                  "empty redhat-release");
  check_identify ((struct files) {
      .redhat = "Red Hat release 1.2 release 3.4\n" },
    "not sure", "two releases on one line");
  check_identify ((struct files) {
      .os_release = "ID=fedora\nVERSION_ID=39\nPRETTY_NAME=\"Fedora 39\"\n" },
    "fedora 39.0", "Fedora from os-release");
  check_identify ((struct files) {
      .os_release = "ID=centos\nVERSION_ID=\"8\"\nPRETTY_NAME=\"CentOS 8\"\n",
      .rh_derivative = true, .redhat = "CentOS Linux release 8.5\n" },
    "not sure", "CentOS: centos-release comes first");
  check_identify ((struct files) {
      .os_release = "ID=rocky\nVERSION_ID=9.2\nPRETTY_NAME=\"Rocky\"\n" },
    "not sure", "an ID not modelled");
  check_identify ((struct files) {
      .os_release = "ID=opensuse-leap\nVERSION_ID=\"15.5\"\n"
                    "PRETTY_NAME=\"openSUSE Leap 15.5\"\n" },
    "opensuse 15.5", "openSUSE Leap");
  check_identify ((struct files) {
      .os_release = "ID=debian\nVERSION_ID=\"12\"\n" },
    "debian 12.0", "os-release alone, no PRETTY_NAME");
  check_identify ((struct files) {
      .os_release = "ID='alpine'\nVERSION_ID=3.18.4\nPRETTY_NAME=x\n" },
    "alpinelinux 3.18", "single quotes");
  check_identify ((struct files) {
      .os_release = "ID=\"debian\nVERSION_ID=\"12.1\"\nPRETTY_NAME=x\n" },
    "not sure", "an unterminated quote is an unknown ID");
  check_identify ((struct files) {
      .os_release = "ID=fedora\nVERSION_ID=12345678901\nPRETTY_NAME=x\n" },
    "not sure", "a version too long");
  check_identify ((struct files) {
      .os_release = "# ID=rhel\n ID=rhel\nID=ubuntu\nVERSION_ID=\"x20.10y\"\n"
                    "PRETTY_NAME\n" },
    "ubuntu 20.10", "comments, indented keys, key without '='");
  check_identify ((struct files) { .later = true }, "not sure",
                  "only a later release file");
  check_identify ((struct files) { 0 }, "", "no release file at all");
  {
    /* NULs inside: lengths, not strings. */
    static const char text[] = "ID=fedora\0x\nVERSION_ID=40\nPRETTY_NAME=a\n";
    struct gk_release_files f = {
      .os_release = text, .os_release_len = sizeof text - 1
    };
    struct gk_os_identity id;
    const char *why;

    ok (gk_identify_linux (&f, &id, &why) == -1, "a NUL in the ID");
  }

  is_str (gk_package_format ("debian"), "deb", "debian: deb");
  is_str (gk_package_management ("debian", 12, false), "apt", "apt");
  is_str (gk_package_management ("rhel", 9, false), "dnf", "RHEL 9: dnf");
  is_str (gk_package_management ("rhel", 7, false), "yum", "RHEL 7: yum");
  is_str (gk_package_management ("centos", 4, false), "up2date",
          "CentOS 4: up2date");
  is_str (gk_package_management ("redhat-based", 0, false), "unknown",
          "no version: unknown");
  is_str (gk_package_management ("fedora", 38, true), "dnf", "Fedora dnf");
  is_str (gk_package_management ("fedora", 38, false), "yum",
          "Fedora without dnf");
  is_str (gk_package_format ("archlinux"), "pacman", "arch: pacman");
  is_str (gk_package_management ("opensuse", 15, false), "zypper", "zypper");
  ok (!gk_needs_dnf_probe ("fedora", 21) && gk_needs_dnf_probe ("fedora", 22),
      "dnf looked for from Fedora 22");
}

/* The mountpoints of TEXT as "file=kind:value" words, or "not sure". */
static char *
fstab_words (const char *text)
{
  gk_fstab f = empty_vector;
  const char *why;
  size_t n = 0;
  char *out;

  if (gk_fstab_parse (text, strlen (text), &f, &why) == -1)
    return xstrdup ("not sure");
  out = xstrdup ("");
  for (size_t i = 0; i < f.len; ++i) {
    static const char *const kinds[] = {
      "ignore", "uuid", "label", "partuuid", "partlabel", "root", "mapper",
      "xdev", "device", "unsure",
    };
    struct gk_spec s;
    char *w;

    gk_fstab_spec (&f.ptr[i], &s);
    if (s.kind == GK_SPEC_XDEV)
      w = xasprintf ("%s%s%s=xdev:%zu:%s", out, n++ ? " " : "",
                     f.ptr[i].file, s.disk, s.part);
    else
      w = xasprintf ("%s%s%s=%s%s%s%s%s", out, n++ ? " " : "",
                     f.ptr[i].file, kinds[s.kind], s.value ? ":" : "",
                     s.value ? s.value : "", f.ptr[i].subvol ? "@" : "",
                     f.ptr[i].subvol ? f.ptr[i].subvol : "");
    free (s.value);
    free (out);
    out = w;
  }
  gk_fstab_free (&f);
  return out;
}

static void
check_fstab (const char *text, const char *expected, const char *what)
{
  char *got = fstab_words (text);

  is_str (got, expected, what);
  free (got);
}

static void
test_fstab (void)
{
  char out[64];

  check_fstab ("# /etc/fstab\n\n"
               "UUID=\"1234-abcd\" / ext4 errors=remount-ro 0 1\n"
               "  LABEL=boot\t/boot ext4 defaults 0 2 # comment\n"
               "/dev/mapper/gkvg-swap none swap sw 0 0\n"
               "/dev/vda3 //srv//data/ xfs defaults\n"
               "/dev/sr0 /media/cdrom0 udf,iso9660 user,noauto 0 0\n",
               "not sure", "vfstype lists: Augeas makes several nodes");
  check_fstab ("# /etc/fstab\n\n"
               "UUID=\"1234-abcd\" / ext4 errors=remount-ro 0 1\n"
               "  LABEL=boot\t/boot ext4 defaults 0 2 # comment\n"
               "/dev/mapper/gkvg-swap none swap sw 0 0\n"
               "/dev/vda3 //srv//data/ xfs defaults\n"
               "/dev/xvdab /x ext4\n"
               "/dev/sr0 /media/cdrom0 udf user,noauto 0 0\n"
               "proc /proc proc defaults 0 0\n"
               "tmpfs /tmp tmpfs size=10%,mode=1777 0 0\n"
               "host:/export /mnt nfs defaults 0 0\n"
               "/dev/root / ext4 defaults\n"
               "/dev/gkvg/home /home ext4 noauto 0 2\n"
               "/dev/fd0 /mnt/floppy auto noauto 0 0\n",
               "/=uuid:1234-abcd /boot=label:boot none=mapper "
               "/srv/data=xdev:0:3 /x=xdev:27: /media/cdrom0=ignore "
               "/proc=ignore /tmp=ignore /mnt=ignore /=root "
               "/home=device /mnt/floppy=ignore",
               "a Debian-like fstab");
  check_fstab ("UUID=x / btrfs subvol=@,compress=zstd,subvol=@2 0 0\n",
               "/=uuid:x@@", "btrfs: the first subvol= option");
  check_fstab ("/dev/sda1 / ext4 defaults 0 1\r\n", "not sure", "CR");
  check_fstab ("/dev/sda1 / ext4 a,,b 0 1\n", "not sure", "empty option");
  check_fstab ("/dev/sda1 / ext4 defaults x 1\n", "not sure",
               "dump not a number");
  check_fstab ("/dev/sda1 /\n", "not sure", "two fields");
  check_fstab ("/dev/sda1 / ext4 defaults 0 1 extra\n", "not sure",
               "seven fields");
  check_fstab ("/dev/sda1 /a#b ext4\n", "not sure", "'#' in the file");
  check_fstab ("/dev/disk/by-uuid/x / ext4\n", "/=unsure", "by-uuid");
  check_fstab ("PARTUUID=ab / ext4\n", "/=partuuid:ab", "PARTUUID");
  check_fstab ("0123456789abcdef.a / ffs rw 1 1\n", "/=unsure",
               "OpenBSD DUID");
  check_fstab ("", "", "empty fstab");
  {
    /* More entries than the cap: refused, not truncated. */
    size_t n = GK_FSTAB_MAX_ENTRIES + 1;
    char *big = xmalloc (n * 32 + 1), *p = big;

    for (size_t i = 0; i < n; ++i)
      p += sprintf (p, "/dev/sda1 /m%zu ext4\n", i % 1000);
    check_fstab (big, "not sure", "too many entries");
    free (big);
  }
  {
    static const char nul[] = "/dev/sda1 / ext4\0 defaults\n";
    gk_fstab f = empty_vector;
    const char *why;

    ok (gk_fstab_parse (nul, sizeof nul - 1, &f, &why) == -1 && f.len == 0,
        "a NUL refused");
  }
  gk_canonical_path ("///usr//local//", out);
  is_str (out, "/usr/local", "canonical path");
  gk_canonical_path ("/", out);
  is_str (out, "/", "canonical /");
  gk_canonical_path ("none", out);
  is_str (out, "none", "canonical none");
  {
    char q[16];

    gk_shell_unquote ("\"a\\$b\\x\\\"", 9, q);
    is_str (q, "a$b\\x\"", "shell_unquote: escapes, a trailing backslash");
  }
}

int
main (void)
{
  test_identify ();
  test_fstab ();
  return tap_done ();
}
