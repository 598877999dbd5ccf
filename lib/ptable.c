/* guestkit: placeholder until ptable.c is written (see ptable.h). */
#include <config.h>
#include "ptable.h"
int gk_placeholder_ptable;
