/* guestkit: typed growable arrays.
 *
 *   DEFINE_VECTOR_TYPE (drive_list, struct drive);
 *   drive_list v = empty_vector;
 *   drive_list_append (&v, d);          (exits with an error on ENOMEM)
 *   vector_foreach (d, &v) ... d->name ...
 *   drive_list_reset (&v);              (frees the array, not the elements)
 *
 * One macro instead of a realloc loop or an "nr_X + pointer" pair in
 * every caller.
 */
#ifndef GUESTKIT_UTILS_VECTOR_H
#define GUESTKIT_UTILS_VECTOR_H

#include <stdbool.h>
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
  /* Insert ELEM before index I (0 <= I <= len). */                     \
  static inline void __attribute__ ((unused))                           \
  name##_insert (name *v, type elem, size_t i)                          \
  {                                                                     \
    name##_reserve (v, 1);                                              \
    memmove (&v->ptr[i + 1], &v->ptr[i], (v->len - i) * sizeof (type)); \
    v->ptr[i] = elem;                                                   \
    v->len++;                                                           \
  }                                                                     \
                                                                        \
  /* Remove the element at index I (the caller frees what it owns). */  \
  static inline void __attribute__ ((unused))                           \
  name##_remove (name *v, size_t i)                                     \
  {                                                                     \
    memmove (&v->ptr[i], &v->ptr[i + 1],                                \
             (v->len - i - 1) * sizeof (type));                         \
    v->len--;                                                           \
  }                                                                     \
                                                                        \
  static inline void __attribute__ ((unused))                           \
  name##_sort (name *v, int (*cmp) (const type *, const type *))        \
  {                                                                     \
    if (v->len > 1)                                                     \
      qsort (v->ptr, v->len, sizeof (type),                             \
             (int (*) (const void *, const void *)) cmp);               \
  }                                                                     \
                                                                        \
  /* Binary search of a vector sorted with the same CMP. */             \
  static inline type * __attribute__ ((unused))                         \
  name##_search (const name *v, const type *key,                        \
                 int (*cmp) (const type *, const type *))               \
  {                                                                     \
    if (v->len == 0)            /* bsearch's array must not be NULL */ \
      return NULL;                                                      \
    return bsearch (key, v->ptr, v->len, sizeof (type),                 \
                    (int (*) (const void *, const void *)) cmp);        \
  }                                                                     \
                                                                        \
  /* Free the array (not what the elements point to); V is empty. */    \
  static inline void __attribute__ ((unused))                           \
  name##_reset (name *v)                                                \
  {                                                                     \
    free (v->ptr);                                                      \
    v->ptr = NULL;                                                      \
    v->len = v->cap = 0;                                                \
  }

#define empty_vector { .ptr = NULL, .len = 0, .cap = 0 }

/* for (type *ELEM = first; ELEM < end; ++ELEM) over vector V.  An
 * empty vector's ptr may be NULL, and NULL + 0 is undefined behaviour
 * (clang's UBSan says so): no arithmetic on it then.  V may be const.
 */
#define vector_foreach(elem, v)                                         \
  for (__typeof__ (&(v)->ptr[0]) elem = (v)->ptr;                       \
       elem != NULL && elem < (v)->ptr + (v)->len; ++elem)

/* The one vector of strings.  Whether it owns its strings is the
 * owner's business: string_vector_free_all frees them too.
 */
DEFINE_VECTOR_TYPE (string_vector, char *);

static inline void __attribute__ ((unused))
string_vector_free_all (string_vector *v)
{
  for (size_t i = 0; i < v->len; ++i)
    free (v->ptr[i]);
  string_vector_reset (v);
}

static inline bool __attribute__ ((unused))
string_vector_contains (const string_vector *v, const char *s)
{
  for (size_t i = 0; i < v->len; ++i)
    if (strcmp (v->ptr[i], s) == 0)
      return true;
  return false;
}

#endif /* GUESTKIT_UTILS_VECTOR_H */
