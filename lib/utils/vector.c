/* guestkit: growing the typed vectors of vector.h. */
#include <config.h>

#include <stdlib.h>

#include "utils/alloc.h"
#include "utils/vector.h"

void *
gk_vector_grow (void *ptr, size_t *cap, size_t need, size_t elem_size)
{
  size_t newcap = *cap ? *cap : 8;

  while (newcap < need)
    newcap *= 2;
  ptr = xrealloc (ptr, newcap * elem_size);
  *cap = newcap;
  return ptr;
}
