package org.sfc.sw.server;

import io.grpc.Status;

/** A P4Runtime error with its canonical gRPC code, as the spec assigns codes to each failure. */
public class P4RtException extends RuntimeException {
    private final Status.Code code;

    public P4RtException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public static P4RtException invalid(String message) {
        return new P4RtException(Status.Code.INVALID_ARGUMENT, message);
    }

    public static P4RtException outOfRange(String message) {
        return new P4RtException(Status.Code.OUT_OF_RANGE, message);
    }

    public static P4RtException notFound(String message) {
        return new P4RtException(Status.Code.NOT_FOUND, message);
    }
}
