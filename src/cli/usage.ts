import { DEFAULT_BASE_URL, DEFAULTS, ENV } from "../defaults.js";

export const PROGRAM = "aspose-cells-token";

/** The --help text. Defaults come from `DEFAULTS`, so it cannot disagree with the library. */
export const USAGE = `Usage: ${PROGRAM} [options]

Gets an access token for the Aspose.Cells Cloud API (client-credentials grant) and prints it.

Credentials (from the environment, like the library):
  ${ENV.clientId}, ${ENV.clientSecret}, ${ENV.baseUrl}
  --client-id ID          client id (instead of ${ENV.clientId})
  --client-secret-stdin   read the client secret from standard input; one trailing
                          newline is removed (instead of ${ENV.clientSecret})
  The secret is never accepted as an argument: other users can read process arguments.

Output (default: the access token and a newline):
  --json                  the whole token as JSON: accessToken, tokenType, expiresIn (s),
                          expiresAt (epoch ms)
  --header                an HTTP header line: Authorization: Bearer <token>

Connection:
  --base-url URL          API base URL with the version (default: ${ENV.baseUrl},
                          else ${DEFAULT_BASE_URL}); https:// only, http:// for loopback
  --timeout MS            time limit of each HTTP attempt, in ms (default ${DEFAULTS.timeoutMs})
  --retries N             retries after a network error, timeout or 408/429/5xx answer,
                          0 to 100 (default ${DEFAULTS.retry.maxRetries})

Other:
  --verbose               log each attempt to stderr, and a stack trace on error
  -h, --help              show this help
  -V, --version           show the version

Exit codes:
  0  token printed
  2  usage or configuration error (invalid_config, insecure_url)
  3  credentials rejected (oauth_error)
  4  network error, timeout, server error or invalid response
     (network, timeout, http_error, invalid_response, aborted)
  Errors are one line on stderr: ${PROGRAM}: <code>: <message>

Examples:
  ${PROGRAM} --client-id "$ID" --client-secret-stdin < secret.txt
  curl -H "$(${PROGRAM} --header)" ${DEFAULT_BASE_URL}/cells/status/check
`;
