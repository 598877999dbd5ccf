/* virt-sysprep: scripts the guest runs once, at its first boot
 * (--firstboot, --firstboot-command, --firstboot-install).
 *
 * The layout is upstream's, so an image customized by either tool
 * keeps working with the other: /usr/lib/virt-sysprep/firstboot.sh
 * runs each script of /usr/lib/virt-sysprep/scripts in name order,
 * logs to /root/virt-sysprep-firstboot.log and moves it to
 * scripts-done, from the systemd unit guestfs-firstboot.service.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

#define FB_DIR "/usr/lib/virt-sysprep"
#define FB_SCRIPT FB_DIR "/firstboot.sh"
#define FB_UNIT "/etc/systemd/system/guestfs-firstboot.service"
#define FB_WANTS \
  "/etc/systemd/system/multi-user.target.wants/guestfs-firstboot.service"

static const char firstboot_sh[] =
  "#!/bin/sh -\n"
  "### Run the virt-sysprep first boot scripts, each once.\n"
  "d=" FB_DIR "/scripts\n"
  "d_done=" FB_DIR "/scripts-done\n"
  "logfile=~root/virt-sysprep-firstboot.log\n"
  "echo \"$0\" \"$@\" 2>&1 | tee -a $logfile\n"
  "echo \"Scripts dir: $d\" 2>&1 | tee -a $logfile\n"
  "if test \"$1\" = \"start\"; then\n"
  "  mkdir -p $d_done\n"
  "  for f in $d/* ; do\n"
  "    if test -x \"$f\"; then\n"
  "      echo '=== Running' $f '===' 2>&1 | tee -a $logfile\n"
  "      $f 2>&1 | tee -a $logfile\n"
  "      mv -f $f $d_done/\n"
  "    fi\n"
  "  done\n"
  "fi\n";

static const char firstboot_unit[] =
  "[Unit]\n"
  "Description=virt-sysprep firstboot service\n"
  "After=network.target\n"
  "Before=prefdm.service\n"
  "\n"
  "[Service]\n"
  "Type=oneshot\n"
  "ExecStart=" FB_SCRIPT " start\n"
  "RemainAfterExit=yes\n"
  "StandardOutput=journal+console\n"
  "StandardError=inherit\n"
  "\n"
  "[Install]\n"
  "WantedBy=multi-user.target\n";

static int
install_service (guestfs_h *g)
{
  if (guest_is_file (g, FB_SCRIPT) && guest_exists (g, FB_WANTS))
    return 0;
  if (!guest_is_dir (g, "/etc/systemd/system")) {
    gk_error_noexit ("firstboot: this guest does not use systemd; its "
                     "init system is not supported yet");
    return -1;
  }
  if (guest_check (g, guestfs_mkdir_p (g, FB_DIR "/scripts"),
                   FB_DIR "/scripts") == -1 ||
      guest_write (g, FB_SCRIPT, firstboot_sh, sizeof firstboot_sh - 1)
        == -1 ||
      guest_check (g, guestfs_chmod (g, 0755, FB_SCRIPT), FB_SCRIPT) == -1 ||
      guest_write (g, FB_UNIT, firstboot_unit, sizeof firstboot_unit - 1)
        == -1 ||
      guest_check (g, guestfs_mkdir_p (g,
                     "/etc/systemd/system/multi-user.target.wants"),
                   "multi-user.target.wants") == -1)
    return -1;
  guestfs_push_error_handler (g, NULL, NULL);
  guestfs_rm_f (g, FB_WANTS);
  guestfs_pop_error_handler (g);
  return guest_check (g, guestfs_ln_s (g, FB_UNIT, FB_WANTS), FB_WANTS);
}

/* "0001-NAME": names sort in the order the scripts were added. */
static int
next_number (guestfs_h *g)
{
  CLEANUP_FREE_STRING_LIST char **names = guestfs_ls (g, FB_DIR "/scripts");
  int max = 0;

  for (size_t i = 0; names && names[i]; ++i) {
    int n = atoi (names[i]);

    if (n > max)
      max = n;
  }
  return max + 1;
}

int
firstboot_add (struct guest *gu, const char *name, const char *script,
               size_t len)
{
  CLEANUP_FREE char *safe = xstrdup (name);
  CLEANUP_FREE char *path = NULL;

  if (install_service (gu->g) == -1)
    return -1;
  for (char *p = safe; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
      *p = '-';
  if (strlen (safe) > 40)
    safe[40] = '\0';
  path = xasprintf (FB_DIR "/scripts/%04d-%s", next_number (gu->g), safe);
  if (guest_write (gu->g, path, script, len) == -1)
    return -1;
  return guest_check (gu->g, guestfs_chmod (gu->g, 0755, path), path);
}
