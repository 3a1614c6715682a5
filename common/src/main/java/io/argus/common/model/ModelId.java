package io.argus.common.model;

/** A model name and one of its versions, e.g. {@code argus v3}. */
public record ModelId(String name, int version) {

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
