/* transfer.h -- libcurl transfers driven by a libuv loop.
 *
 * One curl multi handle per loop, driven by curl_multi_socket_action():
 * curl tells which sockets to watch (one uv_poll_t each) and when to wake
 * it (one uv_timer_t). Any number of transfers run at once and the loop
 * never waits on the network. */
#ifndef RELEVE_TRANSFER_H
#define RELEVE_TRANSFER_H

#include <curl/curl.h>
#include <uv.h>

typedef struct releve_transfer releve_transfer;

/* Called on the loop when a transfer ends, after its handle left the multi
 * handle (it may be cleaned up here). Never called for a transfer removed
 * by releve_transfer_close(). */
typedef void (*releve_transfer_cb)(void *data, CURL *easy, CURLcode result);

int releve_transfer_init(uv_loop_t *loop, releve_transfer **out);
/* Starts easy; cb is called once when it ends. Returns 0 or a negative
 * errno value (then cb is not called). */
int releve_transfer_add(releve_transfer *f, CURL *easy, releve_transfer_cb cb, void *data);
/* Transfers still running. */
unsigned releve_transfer_running(const releve_transfer *f);
/* Stops every transfer (their callbacks are not called: each easy handle
 * is handed to abandoned, which owns it from then on), closes the handles
 * and frees f once the loop has closed them. */
void releve_transfer_close(releve_transfer *f, void (*abandoned)(void *data, CURL *easy));

#endif
