package dev.regimen.core.script;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The languages scripts are written in, told apart by the file's extension. */
public enum ScriptLanguage {
  JAVASCRIPT("js", ".js"),
  PYTHON("python", ".py");

  private final String id;
  private final String extension;

  ScriptLanguage(String id, String extension) {
    this.id = id;
    this.extension = extension;
  }

  /** GraalVM's id of the language: {@code js} or {@code python}. */
  public String id() {
    return id;
  }

  /** The file extension, with its dot. */
  public String extension() {
    return extension;
  }

  /** The language of a script file by its extension; anything but {@code .js} and {@code .py} is an error. */
  public static ScriptLanguage of(Path script) {
    return find(script).orElseThrow(() -> new IllegalArgumentException(
        "Cannot run " + script + ": a script must be JavaScript (.js) or Python (.py)"));
  }

  /** The language of a script file by its extension, if it is {@code .js} or {@code .py}. */
  public static Optional<ScriptLanguage> find(Path script) {
    String name = script.getFileName() == null ? "" : script.getFileName().toString().toLowerCase(Locale.ROOT);
    for (ScriptLanguage language : values()) {
      if (name.endsWith(language.extension)) {
        return Optional.of(language);
      }
    }
    return Optional.empty();
  }
}
