/* guestkit: placeholder until lvm-metadata.c is written (see lvm-metadata.h). */
#include <config.h>
#include "lvm-metadata.h"
int gk_placeholder_lvm_metadata;
