#!/usr/bin/env node
// @ts-check
// `npm test` runs this first. It checks, in well under a second, everything the test run needs
// that `npm ci` does not install: a Node version the toolchain supports, the npm dependencies,
// a Java runtime and redis-server. When anything is missing it prints one message listing all of
// it with the command that installs each, and exits 1. Plain JavaScript run by node, not tsx
// (tsx alone takes a third of a second to start), and nothing is started: programs are looked up
// on the PATH the way `command -v` does.
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * @typedef {object} Missing
 * @property {string} name what is missing, as the reader looks for it
 * @property {string} why what it is for, or what was found instead
 * @property {string} debian the command that installs it on Debian or Ubuntu
 * @property {string} macos the command that installs it on macOS (Homebrew)
 */

/**
 * How to install each program the tests run; the versions are the ones CI uses. The Debian
 * commands are written for a user who is not root (with sudo); see `asUser`.
 */
export const INSTALL = Object.freeze({
  java: {
    why: "OpenAPI Generator validates the specs (npm run spec:validate)",
    debian: "sudo apt-get install -y openjdk-17-jre-headless",
    macos: "brew install --cask temurin@17",
  },
  "redis-server": {
    why: "the Redis token store's tests start one (set REDIS_SERVER to use another path)",
    debian: "sudo apt-get install -y redis-server",
    macos: "brew install redis",
  },
  node: {
    debian: "curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash - && sudo apt-get install -y nodejs",
    macos: "brew install node@22",
  },
});

/**
 * Whether `version` (like "20.19.0" or "v20.19.0") satisfies `range`: comparator sets joined by
 * `||`, each `>=X.Y.Z` or `^X.Y.Z` (the only forms package.json uses here).
 * @param {string} version
 * @param {string} range
 * @returns {boolean}
 * @throws {Error} for a range in any other form, so that a new form is noticed rather than misread
 */
export function satisfies(version, range) {
  const have = parseVersion(version);
  return range.split("||").some((alternative) => {
    const match = /^\s*(>=|\^)\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(alternative);
    if (match === null) throw new Error(`unsupported version range ${JSON.stringify(range)} (use >=X.Y.Z or ^X.Y.Z joined by ||)`);
    const want = parseVersion(/** @type {string} */ (match[2]));
    if (compare(have, want) < 0) return false;
    return match[1] === ">=" || have[0] === want[0];
  });
}

/** @param {string} text @returns {number[]} */
function parseVersion(text) {
  const parts = text.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map(Number);
  while (parts.length < 3) parts.push(0);
  if (parts.some((part) => !Number.isInteger(part))) throw new Error(`not a version: ${JSON.stringify(text)}`);
  return parts;
}

/** @param {number[]} a @param {number[]} b */
function compare(a, b) {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * The file `command` runs as, found on `searchPath` like `command -v` (a name with a slash is
 * taken as a path); undefined when there is none.
 * @param {string} command
 * @param {string} searchPath the PATH value
 * @returns {string | undefined}
 */
export function findExecutable(command, searchPath) {
  const candidates = command.includes("/")
    ? [command]
    : searchPath.split(path.delimiter).filter((dir) => dir !== "").map((dir) => path.join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * `command` as the user runs it: as root, without `sudo` (a root shell, a container, often has no
 * sudo at all); otherwise as written.
 * @param {string} command
 * @param {boolean} superuser whether the user is root
 * @returns {string}
 */
export function asUser(command, superuser) {
  return superuser ? command.replace(/\bsudo (-E )?/g, "") : command;
}

/**
 * Everything `npm test` needs that is missing, in the order to install it, with the commands that
 * install it for this user.
 * @param {object} context
 * @param {string} context.root the repository (holds package.json and node_modules)
 * @param {string} context.nodeVersion the running Node version
 * @param {NodeJS.ProcessEnv} context.env
 * @param {NodeJS.Platform} context.platform
 * @param {boolean} context.superuser whether the user is root (the Debian commands then go without sudo)
 * @returns {Missing[]}
 */
export function missingPrerequisites({ root, nodeVersion, env, platform, superuser }) {
  return findMissing({ root, nodeVersion, env, platform }).map((item) => ({ ...item, debian: asUser(item.debian, superuser) }));
}

/**
 * What is missing, with the install commands as written in INSTALL.
 * @param {{ root: string, nodeVersion: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform }} context
 * @returns {Missing[]}
 */
function findMissing({ root, nodeVersion, env, platform }) {
  /** @type {Missing[]} */
  const missing = [];
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const range = manifest.devEngines?.runtime?.version;
  if (typeof range !== "string") throw new Error("package.json has no devEngines.runtime.version");
  if (!satisfies(nodeVersion, range)) {
    missing.push({ name: `Node.js ${range}`, why: `this is Node ${nodeVersion}; the test toolchain (tsdown, mocha) needs ${range}`, ...INSTALL.node });
  }
  const packages = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  const absent = packages.filter((name) => !isFile(path.join(root, "node_modules", name, "package.json")));
  if (absent.length > 0) {
    const shown = absent.length > 3 ? `${absent.slice(0, 3).join(", ")} and ${absent.length - 3} more` : absent.join(", ");
    missing.push({ name: "the npm dependencies", why: `not installed: ${shown}`, debian: "npm ci", macos: "npm ci" });
  }
  const searchPath = env.PATH ?? "";
  const java = findExecutable("java", searchPath);
  if (java === undefined) {
    missing.push({ name: "java (a Java runtime)", why: `not found on the PATH; ${INSTALL.java.why}`, debian: INSTALL.java.debian, macos: INSTALL.java.macos });
  } else if (platform === "darwin" && java === "/usr/bin/java" && spawnSync("/usr/libexec/java_home", { stdio: "ignore" }).status !== 0) {
    // macOS ships /usr/bin/java as a stub that only says no Java runtime is installed.
    missing.push({ name: "java (a Java runtime)", why: `/usr/bin/java is the macOS stub, no runtime is installed; ${INSTALL.java.why}`, debian: INSTALL.java.debian, macos: INSTALL.java.macos });
  }
  const redis = env.REDIS_SERVER !== undefined && env.REDIS_SERVER !== "" ? env.REDIS_SERVER : "redis-server";
  if (findExecutable(redis, searchPath) === undefined) {
    const where = redis === "redis-server" ? "not found on the PATH" : `REDIS_SERVER=${redis} is not an executable file`;
    missing.push({ name: "redis-server", why: `${where}; ${INSTALL["redis-server"].why}`, debian: INSTALL["redis-server"].debian, macos: INSTALL["redis-server"].macos });
  }
  return missing;
}

/** @param {string} file */
function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The message for what is missing.
 * @param {Missing[]} missing at least one
 * @returns {string}
 */
export function describeMissing(missing) {
  const items = missing.map(({ name, why, debian, macos }) => {
    const install = debian === macos ? `      run: ${debian}\n` : `      Debian/Ubuntu: ${debian}\n      macOS:         ${macos}\n`;
    return `  - ${name}: ${why}\n${install}`;
  });
  return (
    `preflight: npm test needs ${missing.length === 1 ? "one thing" : `${missing.length} things`} this machine does not have:\n` +
    items.join("") +
    `Install ${missing.length === 1 ? "it" : "them"}, then run npm test again. On Debian or Ubuntu, \`bash .ci/run\` (as root) installs the\n` +
    "system packages that are missing and runs npm ci and npm test.\n"
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const superuser = process.getuid?.() === 0;
  const missing = missingPrerequisites({ root, nodeVersion: process.versions.node, env: process.env, platform: process.platform, superuser });
  if (missing.length > 0) {
    process.stderr.write(describeMissing(missing));
    process.exitCode = 1;
  } else {
    process.stdout.write(`preflight: ok (Node ${process.versions.node}, java, redis-server, npm dependencies)\n`);
  }
}
