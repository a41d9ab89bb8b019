package io.ttsmesh.generator.engine.scheduling;

/** An Extend command in flight: when it arrived, and whether its first Step has gone out (time to first step). */
final class ExtendCall {

    final long commandId;
    final long arrivedNanos;
    boolean answeredOnce;

    ExtendCall(long commandId, long arrivedNanos) {
        this.commandId = commandId;
        this.arrivedNanos = arrivedNanos;
    }
}
