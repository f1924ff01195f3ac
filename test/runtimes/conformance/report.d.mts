export declare function formatResult(result: { name: string; ok: boolean; detail: string }): string;
