package dev.tether.rules;

import java.util.List;
import java.util.Objects;

/** A registered converter: its name, the sample type it takes and the one it gives, and its factory. */
public record ConverterKeyword(String name, SampleType input, SampleType output, String summary, Factory factory) {

    /** Binds the converter to its arguments at load time; throws IllegalArgumentException with a readable reason. */
    @FunctionalInterface
    public interface Factory {
        Converter create(List<String> args);
    }

    public ConverterKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
    }
}
