/* guestkit: the URIs -a accepts (nbd, ssh, http(s), ftp(s), iscsi, rbd,
 * file), parsed with libxml2's URI parser.
 */
#ifndef GUESTKIT_OPTIONS_URI_H
#define GUESTKIT_OPTIONS_URI_H

#include "options/options.h"

/* Parse the URI forms -a accepts into D (exported for unit tests).
 * Returns 0, or -1 if ARG is not a URI we can use (nothing printed,
 * *ERRMSG set to a static explanation).
 */
extern int gk_parse_drive_uri (const char *arg, struct gk_drive *d,
                               const char **errmsg);

#endif /* GUESTKIT_OPTIONS_URI_H */
