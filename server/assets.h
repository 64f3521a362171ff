/* The web page's files (server/web/), compiled into the server by
 * tools/embed.c. */
#ifndef KHABAR_SERVER_ASSETS_H
#define KHABAR_SERVER_ASSETS_H

#include <stddef.h>

typedef struct srv_asset {
    const char *name; /* its path under server/web/: "index.html", "app.js" */
    const unsigned char *data;
    size_t len;
} srv_asset;

/* The file of that name, or NULL. */
const srv_asset *srv_asset_find(const char *name);

#endif
