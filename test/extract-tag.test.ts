import { expect } from "chai";
import { extractTag } from "../packages/codegen/src/pipeline/extract-tag.js";
import { parseDocumentText } from "../packages/codegen/src/pipeline/parse-document.js";
import { toOpenApi3 } from "../packages/codegen/src/pipeline/to-openapi3.js";
import { thrown } from "./_spec-errors.js";
import { componentKeys, EXPECTED, expectedComponents, OPENAPI3, operationsOf, readFixture, SWAGGER2 } from "./_spec-fixtures.js";

const TAGS = Object.keys(EXPECTED) as (keyof typeof EXPECTED)[];

describe("extractTag", () => {
  for (const fixture of [OPENAPI3, SWAGGER2]) {
    describe(`from ${fixture}`, () => {
      let document: Record<string, unknown>;
      before(async () => {
        document = (await toOpenApi3(parseDocumentText(await readFixture(fixture), fixture), fixture)).document;
      });

      for (const tag of TAGS) {
        it(`keeps only ${tag}'s operations and exactly the components they reference`, () => {
          const extract = extractTag(document, tag, fixture);
          expect(operationsOf(extract)).to.deep.equal([...EXPECTED[tag].operations]);
          expect(componentKeys(extract)).to.deep.equal(expectedComponents(tag, fixture));
        });
      }

      it("keeps only the tag's entry in tags, and the document-level fields", () => {
        const extract = extractTag(document, "CellsAuthorityController", fixture);
        expect(extract.tags).to.deep.equal([{ name: "CellsAuthorityController" }]);
        expect(extract.security).to.deep.equal([{ JWT: [] }]);
        expect(extract.info).to.deep.equal(document.info);
      });

      it("leaves its input unchanged", () => {
        const before = structuredClone(document);
        extractTag(document, "CellsStatusController", fixture);
        expect(document).to.deep.equal(before);
      });

      it("fails with TAG_NOT_FOUND naming the closest tags first", () => {
        const error = thrown(() => extractTag(document, "CellsWorkbokController", fixture));
        expect(error.code).to.equal("TAG_NOT_FOUND");
        expect(error.message).to.match(/not found in .*; closest tags: CellsWorkbookController, CellsStatusController, CellsAuthorityController \(3 in all\)$/);
      });
    });
  }

  it("follows discriminator mappings and references into a component", () => {
    const document = {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: {
        "/pets": {
          get: {
            tags: ["Pets"],
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
              },
              "400": {
                description: "bad",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Envelope/properties/error" } } },
              },
            },
          },
        },
        "/other": { get: { tags: ["Other"], responses: { "200": { description: "ok" } } } },
      },
      components: {
        schemas: {
          Pet: {
            oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
            discriminator: { propertyName: "kind", mapping: { cat: "Cat", dog: "#/components/schemas/Dog", bird: "Bird" } },
          },
          Cat: { type: "object" },
          Dog: { type: "object" },
          Bird: { type: "object" },
          Envelope: { type: "object", properties: { error: { type: "string" } } },
          Fish: { type: "object" },
        },
      },
    };
    const extract = extractTag(document, "Pets", "inline");
    expect(Object.keys(extract.paths as object)).to.deep.equal(["/pets"]);
    expect(componentKeys(extract)).to.deep.equal({ schemas: ["Bird", "Cat", "Dog", "Envelope", "Pet"] });
  });
});
