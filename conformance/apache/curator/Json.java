package herd.curator;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Just enough JSON writing for one-line reports on stdout (the TypeScript tests parse them). */
final class Json {
  private Json() {}

  /** An object from alternating keys and values, keys in the order given. */
  static String obj(Object... keysAndValues) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (i > 0) out.append(',');
      string(out, String.valueOf(keysAndValues[i]));
      out.append(':');
      value(out, keysAndValues[i + 1]);
    }
    return out.append('}').toString();
  }

  /** Bytes as base64; null stays null (ZooKeeper tells null data from empty data). */
  static String bytes(byte[] data) {
    return data == null ? null : Base64.getEncoder().encodeToString(data);
  }

  /** Prints one report line and flushes, so a reader sees it even if the JVM is killed next. */
  static void emit(Object... keysAndValues) {
    System.out.println(obj(keysAndValues));
    System.out.flush();
  }

  private static void value(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Raw) {
      out.append(((Raw) v).json);
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object item : (List<?>) v) {
        if (!first) out.append(',');
        first = false;
        value(out, item);
      }
      out.append(']');
    } else if (v instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) out.append(',');
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        value(out, e.getValue());
      }
      out.append('}');
    } else {
      string(out, v.toString());
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /** Already-encoded JSON, embedded as is. */
  static final class Raw {
    final String json;

    Raw(String json) {
      this.json = json;
    }
  }
}
