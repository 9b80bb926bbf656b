package dev.regimen.api.component;

/** The value types an option can take; scripts' numbers, strings, booleans and lists map onto them. */
public enum OptionType {
  INT,
  DOUBLE,
  BOOLEAN,
  STRING,
  INT_LIST,
  DOUBLE_LIST,
  /** Any value the component interprets itself (a script function, a model, a nested config). */
  ANY;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
