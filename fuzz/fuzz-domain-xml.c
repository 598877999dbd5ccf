/* guestkit fuzz target: libvirt domain XML (lib/libvirt/domain-xml.c),
 * the disks of a domain as virt-df -d and virt-resize -d read them.
 */
#include <config.h>

#include "fuzz.h"
#include "libvirt/domain-xml.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *xml = fuzz_string (data, size);
  struct gk_domain dom;
  char *errmsg = NULL;

  if (gk_domain_parse_xml (xml, &dom, &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL && dom.name != NULL);
    for (size_t i = 0; i < dom.disks.len; ++i)
      FUZZ_CHECK (dom.disks.ptr[i].source <= GK_DISK_NETWORK);
    gk_domain_free (&dom);
  }
  else
    FUZZ_CHECK (errmsg != NULL);
  free (errmsg);
  free (xml);
  return 0;
}
