/* guestkit: placeholder until content.c is written (see content.h). */
#include <config.h>
#include "content.h"
int gk_placeholder_content;
