package org.jamescrm.it;

import org.apache.james.MemoryJamesServerMain;
import org.apache.james.mailbox.store.mail.NaiveThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;

/**
 * What {@code james-server-memory-app.jar} starts ({@link MemoryJamesServerMain#main}), finding each new
 * mail's thread as James's JPA server does ({@link NaiveThreadIdGuessingAlgorithm}: every mail a thread
 * of its own) instead of by searching the user's mailboxes. The memory server's search reads the header
 * of every mail already in them as each mail is appended, which is most of its CPU when one mailbox
 * receives thousands of mails; the delivery benchmark starts this server to measure the capture beside
 * a James that spends less per mail. Run as {@link ActiveMqJamesServerMain} is.
 */
public final class NaiveThreadsJamesServerMain {
    private NaiveThreadsJamesServerMain() {
    }

    public static void main(String[] args) throws Exception {
        MemoryServerLaunch.start(args,
            binder -> binder.bind(ThreadIdGuessingAlgorithm.class).to(NaiveThreadIdGuessingAlgorithm.class));
    }
}
