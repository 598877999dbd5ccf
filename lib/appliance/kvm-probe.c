/* guestkit: does KVM actually work here?
 *
 * On some hosts /dev/kvm exists but qemu aborts as soon as it sets up a
 * vCPU with "-cpu max" (the CPU model libguestfs asks for), or hangs.
 * libguestfs then fails to launch instead of falling back to software
 * emulation.  We find out in two steps.  First a 64 KiB firmware image
 * whose reset vector writes to the isa-debug-exit port: qemu exits with
 * status 99 only if the guest really ran (catches the aborts, in
 * milliseconds).  Then the kernel the appliance boots, with no root
 * filesystem and panic=-1: under working KVM it reaches the panic and
 * reboots (qemu -no-reboot exits 0) in a second or two; on some hosts it
 * never prints a line after the firmware, which is the hang the
 * appliance would meet.  The answer is cached per boot, because a probe
 * costs qemu starts and the tools launch often.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <guestfs.h>

#include "utils/cleanups.h"
#include "appliance/kvm-probe.h"
#include "utils/alloc.h"
#include "utils/cache-file.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/string-list.h"

#define PROBE_TIMEOUT_SECONDS 10
/* A working KVM boots to the panic in ~1 s, even on a loaded host. */
#define KERNEL_TIMEOUT_SECONDS 30
/* Bump when the probe changes, so old cached answers are not trusted. */
#define PROBE_VERSION "2"
#define DEBUG_EXIT_STATUS 99     /* (0x31 << 1) | 1, see the firmware */

/* mov al, 0x31; out 0xf4, al; hlt -- placed at the reset vector. */
static const unsigned char reset_code[] = { 0xb0, 0x31, 0xe6, 0xf4, 0xf4 };

static int
make_firmware_fd (void)
{
  static unsigned char rom[65536];
  int fd = memfd_create ("guestkit-kvm-probe", 0);

  if (fd == -1)
    return -1;
  memset (rom, 0xf4, sizeof rom);   /* hlt everywhere else */
  memcpy (rom + sizeof rom - 16, reset_code, sizeof reset_code);
  if (write (fd, rom, sizeof rom) != (ssize_t) sizeof rom) {
    close (fd);
    return -1;
  }
  return fd;
}

/* The kernel supermin builds the appliance from: $SUPERMIN_KERNEL, or
 * the newest /boot/vmlinuz-*.  NULL if there is none we can read.
 */
static char *
appliance_kernel (void)
{
  const char *env = getenv ("SUPERMIN_KERNEL");
  glob_t g;
  char *best = NULL;
  time_t best_mtime = 0;

  if (env && *env)
    return access (env, R_OK) == 0 ? xstrdup (env) : NULL;
  if (glob ("/boot/vmlinuz-*", 0, NULL, &g) != 0)
    return NULL;
  for (size_t i = 0; i < g.gl_pathc; ++i) {
    struct stat st;

    if (stat (g.gl_pathv[i], &st) == 0 && access (g.gl_pathv[i], R_OK) == 0
        && (best == NULL || st.st_mtime > best_mtime)) {
      free (best);
      best = xstrdup (g.gl_pathv[i]);
      best_mtime = st.st_mtime;
    }
  }
  globfree (&g);
  return best;
}

/* Boot KERNEL under KVM to its "no root filesystem" panic. */
static bool
kernel_boots (const char *qemu, const char *kernel)
{
  const char *argv[] = {
    qemu, "-no-user-config", "-nodefaults", "-display", "none",
    "-machine", "accel=kvm", "-cpu", "max", "-m", "256", "-no-reboot",
    "-kernel", kernel, "-append", "panic=-1 console=ttyS0 quiet", NULL
  };
  const struct gk_command cmd = {
    .argv = argv, .timeout_seconds = KERNEL_TIMEOUT_SECONDS,
  };
  struct gk_command_result result;

  if (gk_command_run (&cmd, &result) == -1)
    return false;
  return gk_command_exited (&result, 0);
}

/* Run qemu with KVM; true if the firmware ran. */
static bool
firmware_runs (const char *qemu)
{
  CLEANUP_CLOSE int fd = make_firmware_fd ();
  CLEANUP_FREE char *bios = NULL;
  if (fd == -1)
    return false;
  bios = xasprintf ("/proc/self/fd/%d", fd);
  const char *argv[] = {
    qemu, "-no-user-config", "-nodefaults", "-display", "none",
    "-machine", "accel=kvm", "-cpu", "max", "-m", "16", "-bios", bios,
    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", NULL
  };
  /* A hang counts as broken. */
  const struct gk_command cmd = {
    .argv = argv, .timeout_seconds = PROBE_TIMEOUT_SECONDS,
  };
  struct gk_command_result result;

  if (gk_command_run (&cmd, &result) == -1)
    return false;
  return gk_command_exited (&result, DEBUG_EXIT_STATUS);
}

static bool
run_probe (const char *qemu)
{
  CLEANUP_FREE char *kernel = NULL;

  if (!firmware_runs (qemu))
    return false;
  kernel = appliance_kernel ();
  return kernel == NULL || kernel_boots (qemu, kernel);
}

static char *
read_boot_id (void)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/sys/kernel/random/boot_id", "r");
  char buf[64] = "";

  if (fp == NULL || fgets (buf, sizeof buf, fp) == NULL)
    return xstrdup ("unknown");
  buf[strcspn (buf, "\n")] = '\0';
  return xstrdup (buf);
}

/* The cache key: the probe, the boot, the qemu binary and its mtime.
 * The part before the mtime names the binary: one answer per binary is
 * kept, so a run with another hypervisor (the test suite's
 * LIBGUESTFS_HV=/bin/false, a second qemu) does not throw away the
 * answer for the usual one, which would cost the next launch a probe.
 */
static char *
cache_key (const char *qemu, size_t *binary_len)
{
  CLEANUP_FREE char *boot_id = read_boot_id ();
  struct stat st;
  char *key;

  if (stat (qemu, &st) == -1)
    st.st_mtime = 0;
  key = xasprintf ("v%s %s %s %lld", PROBE_VERSION, boot_id, qemu,
                   (long long) st.st_mtime);
  *binary_len = strrchr (key, ' ') - key + 1;
  return key;
}

static char *
cache_path (void)
{
  /* Versioned: an older guestkit's probe must not overwrite the answer. */
  return xasprintf ("/var/tmp/guestkit-kvm-probe-v%s.%ld", PROBE_VERSION,
                    (long) geteuid ());
}

/* The cached answer for KEY: 1 works, 0 broken, -1 not cached. */
static int
read_cache (const char *key)
{
  CLEANUP_FREE char *path = cache_path ();
  CLEANUP_FREE char *contents = gk_cache_file_read (path);
  size_t keylen = strlen (key);

  for (const char *line = contents; line && *line; ) {
    const char *end = strchrnul (line, '\n');

    if ((size_t) (end - line) == keylen + 2 && STREQLEN (line, key, keylen)
        && line[keylen] == ' ')
      return line[keylen+1] == '1';
    line = *end ? end + 1 : end;
  }
  return -1;
}

/* Is the binary named from START to the space before the mtime (the
 * last word of a line ending at END) still there?  Answers for
 * binaries that are gone (a test's fake hypervisor) are dropped.
 */
static bool
binary_exists (const char *start, const char *end)
{
  const char *last_space = end;
  CLEANUP_FREE char *binary = NULL;

  /* "BINARY MTIME WORKS": two words after the binary. */
  for (int words = 0; words < 2 && last_space > start; ) {
    last_space--;
    if (*last_space == ' ')
      words++;
  }
  if (last_space <= start)
    return false;
  binary = xstrndup (start, last_space - start);
  return access (binary, X_OK) == 0;
}

/* Only a few binaries are ever probed; more lines than this are old. */
#define MAX_CACHED_BINARIES 8

static void
write_cache (const char *key, size_t binary_len, bool works)
{
  CLEANUP_FREE char *path = cache_path ();
  CLEANUP_FREE char *old = gk_cache_file_read (path);
  CLEANUP_FREE char *contents = xasprintf ("%s %d\n", key, works ? 1 : 0);
  size_t kept = 1;

  /* The answers for other binaries of this boot and probe version. */
  for (const char *line = old; line && *line; ) {
    const char *end = strchrnul (line, '\n');
    size_t len = end - line;
    const char *boot = strchr (key, ' ') + 1;
    size_t same_boot = strchr (boot, ' ') - key + 1;

    if (kept < MAX_CACHED_BINARIES && len > same_boot &&
        STREQLEN (line, key, same_boot) &&
        !(len > binary_len && STREQLEN (line, key, binary_len)) &&
        binary_exists (line + same_boot, end)) {
      char *more = xasprintf ("%s%.*s\n", contents, (int) len, line);

      free (contents);
      contents = more;
      kept++;
    }
    line = *end ? end + 1 : end;
  }
  gk_cache_file_write (path, contents);  /* atomic for concurrent probes */
}

enum gk_kvm_state
gk_kvm_state (const char *qemu)
{
  CLEANUP_FREE char *key = NULL;
  size_t binary_len;
  int cached;
  bool works;

  if (access ("/dev/kvm", R_OK | W_OK) == -1)
    return GK_KVM_ABSENT;
  key = cache_key (qemu, &binary_len);
  cached = read_cache (key);
  if (cached >= 0)
    return cached ? GK_KVM_WORKS : GK_KVM_BROKEN;
  works = run_probe (qemu);
  write_cache (key, binary_len, works);
  gk_debug ("KVM probe of %s: %s", qemu, works ? "works" : "broken");
  return works ? GK_KVM_WORKS : GK_KVM_BROKEN;
}

bool
gk_kvm_usable (void)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = guestfs_create ();
  CLEANUP_FREE char *hv = NULL;

  if (g == NULL)
    return false;
  hv = guestfs_get_hv (g);
  return hv && gk_kvm_state (hv) == GK_KVM_WORKS;
}
