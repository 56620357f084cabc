import assert from "node:assert/strict";
import {
  decodeJavaInt,
  javaSplit,
  NumberFormatError,
  parseJavaInt,
  parseJavaLong,
} from "./java.ts";

Deno.test("parseJavaInt / parseJavaLong: Java's accepted forms and range", () => {
  assert.equal(parseJavaInt("+7"), 7);
  assert.equal(parseJavaInt("-2147483648"), -2147483648);
  assert.throws(() => parseJavaInt("2147483648"), NumberFormatError);
  assert.throws(() => parseJavaInt("abc"), { message: 'For input string: "abc"' });
  assert.throws(() => parseJavaInt(""), { message: 'For input string: ""' });
  assert.throws(() => parseJavaInt("1.0"), NumberFormatError);
  assert.equal(parseJavaLong("1099511627776"), 1099511627776n);
  assert.throws(() => parseJavaLong("99999999999999999999"), NumberFormatError);
  assert.equal(parseJavaLong("ff", 16), 255n);
  assert.throws(() => parseJavaLong("zz", 16), {
    message: 'For input string: "zz" under radix 16',
  });
});

Deno.test("decodeJavaInt: redo's Integer.decode", () => {
  assert.equal(decodeJavaInt("12"), 12);
  assert.equal(decodeJavaInt("0x1"), 1);
  assert.equal(decodeJavaInt("#10"), 16);
  assert.equal(decodeJavaInt("010"), 8);
  assert.equal(decodeJavaInt("-1"), -1);
  assert.throws(() => decodeJavaInt("abc"), { message: 'For input string: "abc"' });
  assert.throws(() => decodeJavaInt(""), { message: "Zero length string" });
});

Deno.test("javaSplit drops trailing empty strings", () => {
  assert.deepEqual(javaSplit("a,,b,,", ","), ["a", "", "b"]);
  assert.deepEqual(javaSplit(",a", ","), ["", "a"]);
  assert.deepEqual(javaSplit("", ","), [""]);
  assert.deepEqual(javaSplit(",", ","), []);
  assert.deepEqual(javaSplit("bytes=-1=", "="), ["bytes", "-1"]);
});
