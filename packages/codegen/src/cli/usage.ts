import { PUBLISHED_SPEC_URL } from "../pipeline/published-spec.js";
import { CONFIG_FILE, DEFAULT_OUT, PROGRAM } from "./project.js";

/** `aspose-cells-codegen --help`. */
export const USAGE = `Usage: ${PROGRAM} add TAG [--from FILE_OR_URL] [--out DIR] [--name NAME]
       ${PROGRAM} generate [--check]

Typed access to any Aspose.Cells Cloud controller from your project. add pulls one controller (an
operation tag) from the published spec, converts it to OpenAPI 3 if it is Swagger 2.0, validates it
(and with OpenAPI Generator when java is on the PATH), and writes two files: NAME.yaml, the spec,
which aspose-cells-cloud-auth/testing serves offline (startTokenServer({ specs: [...] })), and
NAME.ts, its openapi-typescript types for createCellsClient<paths>(). It records what it added, and
from where, in ${CONFIG_FILE} at the project's root (the nearest folder with a package.json).
generate pulls every recorded controller from its source again and regenerates both files.
On any failure nothing is written.

  TAG                    the controller's tag, e.g. CellsWorksheetsController
  --from FILE_OR_URL     read the spec from here instead of the published one, and record it
                         (default: ${PUBLISHED_SPEC_URL})
  --out DIR              where the two files go, inside the project (default: ${DEFAULT_OUT})
  --name NAME            the files' name (default from the tag: CellsWorksheetsController gives
                         cells-worksheets)
  --check                (generate) write nothing; exit 1 naming every file that would change
  -h, --help             show this help
  -V, --version          show the version

An overlay (OpenAPI Overlay 1.0) at DIR/NAME.overlay.yaml, there before add, corrects the spec.

Exit codes: 0 done (or up to date), 1 failure or stale (one line on stderr), 2 usage error.
`;
