/* guestkit: placeholder until disk-io.c is written (see disk-io.h). */
#include <config.h>
#include "disk-io.h"
int gk_placeholder_disk_io;
