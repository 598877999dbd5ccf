/* guestkit: everything a tool includes. */
#ifndef GUESTKIT_H
#define GUESTKIT_H

#include "appliance.h"
#include "cleanups.h"
#include "appliance-features.h"
#include "gk-strings.h"
#include "json.h"
#include "keys.h"
#include "libvirt-domains.h"
#include "machine-readable.h"
#include "messages.h"
#include "options.h"
#include "parallel.h"
#include "progress.h"
#include "sizes.h"
#include "tmpfiles.h"
#include "vector.h"

#endif /* GUESTKIT_H */
