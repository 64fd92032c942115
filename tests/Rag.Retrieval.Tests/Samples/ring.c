#include <stdlib.h>
#include <string.h>

/* A fixed-size ring buffer of bytes. */
struct ring {
    unsigned char *data;
    size_t size;
    size_t head;
    size_t count;
};

struct ring *ring_new(size_t size)
{
    struct ring *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->data = calloc(size, 1);
    r->size = size;
    r->head = 0;
    r->count = 0;
    return r;
}

int ring_put(struct ring *r, unsigned char c)
{
    if (r->count == r->size)
        return -1; /* full: '}' in a comment */
    r->data[(r->head + r->count) % r->size] = c;
    r->count++;
    return 0;
}

int ring_get(struct ring *r, unsigned char *out)
{
    if (r->count == 0)
        return -1;
    *out = r->data[r->head];
    r->head = (r->head + 1) % r->size;
    r->count--;
    return 0;
}

void ring_free(struct ring *r)
{
    free(r->data);
    free(r);
}
