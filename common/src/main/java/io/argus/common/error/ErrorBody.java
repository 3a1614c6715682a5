package io.argus.common.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one JSON body of every error answer of every Argus service: a machine-readable code, a
 * sentence for people and, for requests of several items (a batch), what was wrong with each.
 *
 * @param details one entry per refused item of a batch; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(String code, String message, List<Detail> details) {

    /**
     * What was wrong with one item of a batch.
     *
     * @param item the item: a file name, an index, an image id
     */
    public record Detail(String item, String code, String message) {
    }

    public ErrorBody(String code, String message) {
        this(code, message, List.of());
    }
}
