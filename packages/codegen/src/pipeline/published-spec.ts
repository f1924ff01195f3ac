/**
 * The published Aspose.Cells Cloud spec (`SpecificationController/Spec`): where a controller is
 * pulled from unless `--from` says otherwise. Every entry of openapi/controllers.json reads it.
 */
export const PUBLISHED_SPEC_URL = "https://api.aspose.cloud/v4.0/cells/swagger/spec";
