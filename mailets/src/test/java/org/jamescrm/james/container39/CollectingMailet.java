package org.jamescrm.james.container39;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Stands in for the delivery mailets of {@code james-server-mailets} (LocalDelivery, RemoteDelivery,
 * Bounce, ToRepository...), which are not published for James 3.9.0: it records the mail exactly as
 * it reaches delivery and ends its processing. Parameter {@code delivery}: the name of the delivery it
 * stands for (local-delivery, relay, ...), recorded with the mail.
 */
public class CollectingMailet extends GenericMailet {
    /** A mail as it reached a delivery: its envelope and the bytes of its message. */
    public record Delivery(String delivery, String mailName, Optional<MailAddress> sender, List<MailAddress> recipients,
                           Optional<String> messageId, byte[] message) {
    }

    private static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();

    private String delivery;

    @Override
    public void init() throws MessagingException {
        delivery = getInitParameter("delivery", "unnamed");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            mail.getMessage().writeTo(bytes);
            DELIVERIES.add(new Delivery(delivery, mail.getName(), mail.getMaybeSender().asOptional(),
                List.copyOf(mail.getRecipients()), Optional.ofNullable(mail.getMessage().getMessageID()), bytes.toByteArray()));
        } catch (IOException e) {
            throw new MessagingException("Cannot read mail " + mail.getName(), e);
        }
        mail.setState(Mail.GHOST);
    }

    /** The deliveries of the message with this {@code Message-ID} so far, in order. */
    public static List<Delivery> deliveriesOf(String messageId) {
        return DELIVERIES.stream()
            .filter(delivery -> delivery.messageId().filter(messageId::equals).isPresent())
            .toList();
    }

    @Override
    public String getMailetInfo() {
        return "Records delivered mail for the James 3.9 container tests";
    }
}
