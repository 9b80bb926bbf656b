package dev.regimen.core.script;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The calls of the script API as scripts write them, for the messages about a call with the wrong
 * number or kind of arguments: GraalVM refuses such a call before Regimen sees it, in words of its
 * own ({@code invokeMember (layer) on dev.regimen.core.script.RegimenApi failed due to: Arity error -
 * expected: 1+ actual: 0} in JavaScript, {@code invalid instantiation of foreign object} in Python).
 * Here they become {@code rg.layer(name[, options]) takes 1 or 2 arguments; got 0}.
 *
 * <p>A call's usage comes from the exported methods themselves (their parameter names, which the
 * build keeps with {@code -parameters}), so it cannot drift from the API; a trailing
 * {@code Value... rest} is the optional options object.
 */
final class ScriptCalls {
  /** How scripts name the objects of each API class. */
  private static final Map<Class<?>, String> RECEIVERS = Map.of(
      RegimenApi.class, "rg",
      DataApi.class, "rg.data",
      ScriptTrainer.class, "trainer",
      ScriptModel.class, "model",
      ScriptDataset.class, "dataset",
      ScriptComponent.class, "component");

  private static final Pattern INVOKE = Pattern.compile(
      "invokeMember \\((\\w+)\\) on (dev\\.regimen\\.core\\.script\\.\\w+) failed due to: (.*)", Pattern.DOTALL);
  private static final Pattern ARITY = Pattern.compile("Arity error - expected: \\S+ actual: (\\d+)");
  private static final Pattern CONVERT = Pattern.compile(
      "Cannot convert '(.*)'\\(language: \\w+, type: ([\\w.$]+)\\) to Java type '([\\w.$]+)'", Pattern.DOTALL);

  private ScriptCalls() {}

  /**
   * Regimen's message for GraalVM's refusal of a call to the script API (JavaScript), or empty if the
   * message is not one.
   */
  static Optional<String> fromInteropMessage(String message) {
    if (message == null) {
      return Optional.empty();
    }
    Matcher invoke = INVOKE.matcher(message);
    if (!invoke.find()) {
      return Optional.empty();
    }
    Class<?> type = apiClass(invoke.group(2));
    String method = invoke.group(1);
    if (type == null || exported(type, method).isEmpty()) {
      return Optional.empty();
    }
    Matcher arity = ARITY.matcher(invoke.group(3));
    if (arity.find()) {
      return Optional.of(arityMessage(type, method, Integer.parseInt(arity.group(1))));
    }
    Matcher convert = CONVERT.matcher(invoke.group(3));
    if (convert.find()) {
      String value = kind(convert.group(2)).equals("a string") ? "'" + convert.group(1) + "'" : convert.group(1);
      return Optional.of(usage(type, method) + ": " + value + " (" + kind(convert.group(2)) + ") where "
          + expected(convert.group(3)) + " was expected");
    }
    return Optional.empty();
  }

  /**
   * Regimen's message for a call to {@code method} of the API object {@code receiver} that GraalVM
   * refused (Python): the wrong number of arguments, or the first argument of the wrong kind.
   */
  static String badCall(Object receiver, String method, List<Value> args) {
    Class<?> type = receiver.getClass();
    List<Method> overloads = exported(type, method);
    if (overloads.isEmpty()) {
      return "The call " + method + "(...) on " + receiver + " was refused";
    }
    List<Method> fitting = overloads.stream().filter(m -> accepts(m, args.size())).toList();
    if (fitting.isEmpty()) {
      return arityMessage(type, method, args.size());
    }
    for (Method m : fitting) {
      Parameter[] params = m.getParameters();
      for (int i = 0; i < args.size() && i < params.length; i++) {
        Class<?> param = params[i].getType();
        if (!fits(param, args.get(i))) {
          return usage(type, method) + ": argument " + (i + 1) + " (" + name(params[i]) + ") is "
              + Values.describe(args.get(i)) + kindOf(args.get(i)) + " where " + expected(param.getName())
              + " was expected";
        }
      }
    }
    return usage(type, method) + " does not take these arguments: "
        + String.join(", ", args.stream().map(Values::describe).toList());
  }

  /**
   * {@code rg.layer(name[, options])}: the call with its parameters, optional ones in brackets.
   * Overloads that each extend the one before ({@code fit(model, train)} and {@code fit(model, train,
   * validation)}) read as one form with optional tails; others are listed with "or".
   */
  static String usage(Class<?> type, String method) {
    String call = RECEIVERS.getOrDefault(type, type.getSimpleName()) + "." + method;
    List<Method> overloads = new ArrayList<>(exported(type, method));
    overloads.sort(Comparator.comparingInt(Method::getParameterCount));
    List<String> longest = tokens(overloads.get(overloads.size() - 1));
    boolean chain = overloads.stream().allMatch(m -> tokens(m).equals(longest.subList(0, m.getParameterCount())));
    if (chain) {
      int required = overloads.stream().mapToInt(ScriptCalls::required).min().orElse(0);
      return call + "(" + render(longest, required) + ")";
    }
    return String.join(" or ", overloads.stream().map(m -> call + "(" + render(tokens(m), required(m)) + ")").toList());
  }

  /** The parameters' names; a trailing {@code Value... rest} is the options object. */
  private static List<String> tokens(Method m) {
    List<String> out = new ArrayList<>();
    for (Parameter p : m.getParameters()) {
      out.add(p.isVarArgs() ? (p.getName().equals("rest") ? "options" : p.getName() + "...") : name(p));
    }
    return out;
  }

  private static int required(Method m) {
    return m.getParameterCount() - (m.isVarArgs() ? 1 : 0);
  }

  /** {@code a, b[, c[, d]]}: the first {@code required} tokens, then each further one optional. */
  private static String render(List<String> tokens, int required) {
    StringBuilder out = new StringBuilder(String.join(", ", tokens.subList(0, required)));
    for (int i = required; i < tokens.size(); i++) {
      out.append(i == 0 ? "[" : "[, ").append(tokens.get(i));
    }
    return out.append("]".repeat(tokens.size() - required)).toString();
  }

  private static String arityMessage(Class<?> type, String method, int given) {
    List<Method> overloads = exported(type, method);
    int min = overloads.stream().mapToInt(ScriptCalls::required).min().orElse(0);
    // A trailing Value... rest counts as its one options object (the API refuses more itself).
    int max = overloads.stream().mapToInt(Method::getParameterCount).max().orElse(0);
    String count = min == max ? Integer.toString(min) : max == min + 1 ? min + " or " + max : min + " to " + max;
    return usage(type, method) + " takes " + count + (max == 1 ? " argument" : " arguments") + "; got "
        + (given == 0 ? "none" : Integer.toString(given));
  }

  private static boolean accepts(Method m, int count) {
    return m.isVarArgs() ? count >= required(m) : count == required(m);
  }

  private static boolean fits(Class<?> param, Value arg) {
    if (param == String.class) {
      return arg.isString();
    }
    if (param == int.class || param == Integer.class || param == long.class || param == Long.class) {
      return arg.isNumber() && arg.fitsInLong();
    }
    if (param == double.class || param == Double.class || param == float.class) {
      return arg.isNumber();
    }
    if (param == boolean.class || param == Boolean.class) {
      return arg.isBoolean();
    }
    return true;
  }

  private static String name(Parameter p) {
    return p.isNamePresent() ? p.getName() : expected(p.getType().getName()).replaceFirst("^an? ", "");
  }

  /** What a Java parameter type takes, in script words: {@code a string}, {@code a whole number}. */
  private static String expected(String javaType) {
    return switch (javaType) {
      case "java.lang.String" -> "a string";
      case "int", "java.lang.Integer", "long", "java.lang.Long" -> "a whole number";
      case "double", "java.lang.Double", "float", "java.lang.Float", "java.lang.Number" -> "a number";
      case "boolean", "java.lang.Boolean" -> "true or false";
      default -> "a value";
    };
  }

  /** What kind of value GraalVM's conversion message names: {@code a number}, {@code an object}. */
  private static String kind(String type) {
    return switch (type) {
      case "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short",
          "java.lang.Byte", "Number", "int", "double" -> "a number";
      case "java.lang.String", "String", "com.oracle.truffle.api.strings.TruffleString" -> "a string";
      case "java.lang.Boolean", "Boolean", "boolean" -> "a boolean";
      case "Array" -> "a list";
      case "Function" -> "a function";
      default -> type.startsWith("dev.regimen.") ? "a Regimen object" : "an object";
    };
  }

  /** {@code " (a number)"}: the kind of a script value, for values whose echo does not show it. */
  private static String kindOf(Value v) {
    if (v.isNumber()) {
      return " (a number)";
    }
    if (v.isBoolean()) {
      return " (a boolean)";
    }
    if (v.hasArrayElements()) {
      return " (a list)";
    }
    if (v.hasHashEntries() || (v.hasMembers() && !v.isHostObject() && !v.canExecute())) {
      return " (an object)";
    }
    return "";
  }

  private static Class<?> apiClass(String name) {
    return RECEIVERS.keySet().stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
  }

  /** The public methods of {@code type} named {@code method} that scripts can call. */
  private static List<Method> exported(Class<?> type, String method) {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(method) && m.isAnnotationPresent(HostAccess.Export.class)
            && !Modifier.isStatic(m.getModifiers()))
        .toList();
  }
}
