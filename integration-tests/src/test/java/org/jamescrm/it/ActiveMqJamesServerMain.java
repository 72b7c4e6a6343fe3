package org.jamescrm.it;

import org.apache.james.MemoryJamesServerMain;

/**
 * What {@code james-server-memory-app.jar} starts ({@link MemoryJamesServerMain#main}), with James's
 * ActiveMQ mail queue in place of the memory queue: the spool, the outgoing queue and the capture
 * queue then keep their mails in the embedded broker's KahaDB store under the working directory, off
 * the heap, as on a single-server production James. Run in a JVM of its own, in the working directory
 * ({@code -Dworking.directory=.}), with the product in {@code extensions-jars/} and its classes off the
 * class path; the benchmarks that measure James's heap start it to tell James's memory queues apart from
 * the capture.
 */
public final class ActiveMqJamesServerMain {
    private ActiveMqJamesServerMain() {
    }

    public static void main(String[] args) throws Exception {
        MemoryServerLaunch.start(args, new ActiveMqMailQueueModule());
    }
}
