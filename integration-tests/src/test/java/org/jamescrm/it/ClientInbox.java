package org.jamescrm.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;

/** What the clients' mail server (GreenMail, James's smarthost) received: the acknowledgements and answers James sent out. */
final class ClientInbox {
    private final GreenMailExtension server;
    private final Duration wait;

    ClientInbox(GreenMailExtension server, Duration wait) {
        this.server = server;
        this.wait = wait;
    }

    /** The first message to {@code recipient} with exactly this subject, once it arrived. */
    MimeMessage awaitReceived(String recipient, String subject) {
        return await().atMost(wait).alias("received by " + recipient + ": " + Arrays.stream(server.getReceivedMessages())
            .map(ClientInbox::subject).toList()).until(() -> received(recipient).stream().filter(message -> subject(message).equals(subject))
            .findFirst().orElse(null), found -> found != null);
    }

    /** Every message to {@code recipient}. */
    List<MimeMessage> received(String recipient) {
        return Arrays.stream(server.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getAllRecipients()).anyMatch(address -> address.toString().contains(recipient));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (MessagingException e) {
            return "";
        }
    }
}
