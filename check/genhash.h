/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `vigild genhash`: keepalived's genhash job. Fetches one URL over HTTP or
 * HTTPS and prints the MD5 of the body the way HTTP_GET / SSL_GET compute
 * it (check/http_parse.h), in the form the url block's `digest` takes.
 *
 * Also the hook that gives SSL_GET the global SSL { } block.
 */
#ifndef VIGIL_CHECK_GENHASH_H
#define VIGIL_CHECK_GENHASH_H

#include <stddef.h>

#include "conf/model.h"

/* argv[0] is the mode's name ("genhash"). Exit status: 0 digest printed,
 * 1 the fetch or the response failed, 2 bad usage. */
int check_genhash_main(int argc, char **argv);

/*
 * The SSL { } block SSL_GET uses (NULL or not configured: an anonymous
 * client context, no certificate verification). Call it in the checker
 * process before check_engine_init_kinds(), which loads the files while
 * still root; ssl must outlive the engine.
 */
void check_http_set_ssl(const struct conf_lvs_ssl *ssl);

/* An SSL_CTX * for a client as the SSL block asks (NULL: anonymous, no
 * verification); NULL on failure with the reason in err. */
void *check_http_ssl_ctx_new(const struct conf_lvs_ssl *ssl, char *err, size_t len);

#endif
