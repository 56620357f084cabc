import assert from "node:assert/strict";
import { helpText, type OptionsSpec, parseCommandLine } from "./cli_options.ts";
import { CliError } from "./errors.ts";

const flag = (key: string, description = key) => ({ key, hasArg: false, description });
const valued = (key: string, description = key) => ({ key, hasArg: true, description });

const CREATE: OptionsSpec = { options: [flag("e"), flag("s"), flag("c"), valued("t")] };
const SET: OptionsSpec = { options: [flag("s"), valued("v")] };
const QUOTA: OptionsSpec = {
  options: [
    valued("n", "num soft quota"),
    valued("b", "bytes soft quota"),
    valued("N", "num hard quota"),
    valued("B", "bytes hard quota"),
  ],
  group: { keys: ["n", "b", "N", "B"], required: true },
};

function fails(spec: OptionsSpec, argv: string[], message: string) {
  assert.throws(() => parseCommandLine(spec, argv), (e: unknown) => {
    assert.ok(e instanceof CliError);
    assert.equal(e.message, message);
    return true;
  });
}

Deno.test("options anywhere, attached values, bundles, --", () => {
  let cl = parseCommandLine(SET, ["set", "/a", "x", "-v", "8"]);
  assert.deepEqual(cl.args, ["set", "/a", "x"]);
  assert.equal(cl.value("v"), "8");
  assert.equal(parseCommandLine(SET, ["delete", "-v1", "/e"]).value("v"), "1");
  assert.equal(parseCommandLine(CREATE, ["create", "-t=5", "/e2"]).value("t"), "5");
  cl = parseCommandLine(CREATE, ["create", "-es", "/e4", "x"]);
  assert.ok(cl.has("e") && cl.has("s"));
  assert.deepEqual(parseCommandLine(SET, ["set", "/e", "--", "-1"]).args, ["set", "/e", "-1"]);
  assert.deepEqual(parseCommandLine(SET, ["ls", "-", "/"]).args, ["ls", "-", "/"]);
});

Deno.test("an option's value may look like a number or an unknown option", () => {
  assert.equal(parseCommandLine(CREATE, ["create", "-t", "-5", "/x"]).value("t"), "-5");
  assert.equal(parseCommandLine(CREATE, ["create", "-t", "-x", "/x"]).value("t"), "-x");
});

Deno.test("commons-cli's errors, as zkCli prints them", () => {
  const pkg = "org.apache.commons.cli.";
  fails(SET, ["set", "/e", "-1"], `${pkg}UnrecognizedOptionException: Unrecognized option: -1`);
  fails(
    CREATE,
    ["create", "-sw", "/e3"],
    `${pkg}UnrecognizedOptionException: Unrecognized option: -sw`,
  );
  fails(SET, ["set", "-v"], `${pkg}MissingArgumentException: Missing argument for option: v`);
  fails(
    SET,
    ["set", "-v", "-s", "/e", "x"],
    `${pkg}MissingArgumentException: Missing argument for option: v`,
  );
  fails(
    QUOTA,
    ["setquota", "/a"],
    `${pkg}MissingOptionException: Missing required option: [-n num soft quota, -b bytes soft quota, ` +
      "-N num hard quota, -B bytes hard quota]",
  );
  fails(
    QUOTA,
    ["setquota", "-n", "2", "-b", "3", "/a"],
    `${pkg}AlreadySelectedException: The option 'b' was specified but an option from this group ` +
      "has already been selected: 'n'",
  );
  // The same option twice is not a conflict; the first value wins.
  assert.equal(parseCommandLine(QUOTA, ["setquota", "-n", "1", "-n", "2", "/e"]).value("n"), "1");
});

Deno.test("helpText: ls -? as HelpFormatter prints it", () => {
  const opts = [flag("?", "help"), flag("s", "stat"), flag("w", "watch"), flag("R", "recurse")];
  assert.deepEqual(helpText("ls [options] path", opts), [
    "usage: ls [options] path",
    " -?   help",
    " -R   recurse",
    " -s   stat",
    " -w   watch",
  ]);
});
