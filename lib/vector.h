/* guestkit: typed growable arrays.
 *
 *   DEFINE_VECTOR_TYPE (string_vector, char *);
 *   string_vector v = empty_vector;
 *   string_vector_append (&v, s);      (aborts with an error on ENOMEM)
 *   for (size_t i = 0; i < v.len; ++i) ... v.ptr[i] ...
 *   free (v.ptr);
 *
 * One macro instead of a realloc loop in every caller.
 */
#ifndef GUESTKIT_VECTOR_H
#define GUESTKIT_VECTOR_H

#include <stdlib.h>
#include <string.h>

extern void *gk_vector_grow (void *ptr, size_t *cap, size_t need,
                             size_t elem_size);

#define DEFINE_VECTOR_TYPE(name, type)                                  \
  typedef struct {                                                      \
    type *ptr;                                                          \
    size_t len;                                                         \
    size_t cap;                                                         \
  } name;                                                               \
                                                                        \
  static inline void __attribute__ ((unused))                           \
  name##_reserve (name *v, size_t n)                                    \
  {                                                                     \
    if (v->len + n > v->cap)                                            \
      v->ptr = gk_vector_grow (v->ptr, &v->cap, v->len + n,             \
                               sizeof (type));                          \
  }                                                                     \
                                                                        \
  static inline void __attribute__ ((unused))                           \
  name##_append (name *v, type elem)                                    \
  {                                                                     \
    name##_reserve (v, 1);                                              \
    v->ptr[v->len++] = elem;                                            \
  }                                                                     \
                                                                        \
  static inline void __attribute__ ((unused))                           \
  name##_sort (name *v, int (*cmp) (const type *, const type *))        \
  {                                                                     \
    if (v->len > 1)                                                     \
      qsort (v->ptr, v->len, sizeof (type),                             \
             (int (*) (const void *, const void *)) cmp);               \
  }

#define empty_vector { .ptr = NULL, .len = 0, .cap = 0 }

#endif /* GUESTKIT_VECTOR_H */
