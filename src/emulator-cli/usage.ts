import { ENV } from "../defaults.js";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SERVER_DEFAULTS } from "../testing/options.js";

export const PROGRAM = "aspose-cells-emulator";

/** The --help text. Defaults come from the emulator's own, so it cannot disagree with them. */
export const USAGE = `Usage: ${PROGRAM} [options] [-- COMMAND [ARGS...]]

Starts a local stand-in for the Aspose.Cells Cloud API on 127.0.0.1 (the emulator of
aspose-cells-cloud-auth/testing), to test code in any language offline. It prints the base URL and
the test credentials on stdout, one per line, as environment variable assignments:

  ${ENV.baseUrl}=http://127.0.0.1:PORT${SERVER_DEFAULTS.basePath}
  ${ENV.clientId}=${DEFAULT_CLIENT_ID}
  ${ENV.clientSecret}=${DEFAULT_CLIENT_SECRET}

then serves until Ctrl-C or SIGTERM. With a COMMAND after --, it runs the command with those
variables set instead (printing nothing on stdout), stops when the command ends and exits with
the command's exit code; a signal it gets is passed on to the command.

Endpoints, under the base path:
  POST /cells/connect/token   client-credentials grant (a form body with the credentials above)
  GET  /cells/status/check    200 with a bearer token it issued and that has not expired, else 401
  GET  /cells                 the same
  every operation of each --spec FILE: the same token rules, requests validated against the
                              spec (400 naming the problem), answers from its examples or schemas

Options:
  --port N                TCP port on 127.0.0.1 (default ${SERVER_DEFAULTS.port}: a free one)
  --token-lifetime S      lifetime of the tokens it issues, in seconds (default ${SERVER_DEFAULTS.tokenLifetimeSeconds})
  --base-path PATH        path prefix of the endpoints, the API version (default ${SERVER_DEFAULTS.basePath})
  --spec FILE             serve the operations of an OpenAPI spec too (repeatable; needs the
                          package aspose-cells-codegen, which writes such specs)
  --verbose               log every request on stderr (secrets redacted, tokens as fingerprints)
  -h, --help              show this help
  -V, --version           show the version

Exit codes:
  0  stopped by Ctrl-C or SIGTERM
  1  could not start (the port is taken, or the COMMAND cannot be run)
  2  usage error
  with a COMMAND: its exit code, or 128 + the number of the signal that ended it

Examples:
  ${PROGRAM} --port 8400 --verbose
  ${PROGRAM} -- npx aspose-cells-token --json
`;
