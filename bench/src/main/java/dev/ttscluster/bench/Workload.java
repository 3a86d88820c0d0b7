package dev.ttscluster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic job texts for the benchmark: short replies of about 20 characters (a chat or IVR
 * answer) and long ones of about 200 characters (a paragraph of two or three sentences), assembled
 * from varied customer-service phrases, names and numbers so no two jobs need be alike. The same
 * seed gives the same texts, so both serving modes see the same work.
 */
public final class Workload {
    /** A kind of job. */
    public enum Kind {
        SHORT,
        LONG
    }

    private static final String[] SHORT = {
        "Your order has shipped.", "Thanks, %s. Goodbye!", "Please hold the line.", "Your code is %d.",
        "Is there anything else?", "I can help with that.", "Your balance is $%d.", "Press %d to continue.",
        "We are open until %d.", "Welcome back, %s.", "Sorry, I missed that.", "Room %d is ready.",
        "The total is $%d.%d.", "Delivery on %s.", "Your table is ready.", "Call us at any time.",
    };
    private static final String[] SENTENCES = {
        "Thank you for calling the support line, my name is %s and I will be looking after you today.",
        "I can see that your order number %d was placed on %s and it left our warehouse this morning.",
        "The courier expects to deliver it between nine and five, and you will receive a text message before it arrives.",
        "If you are not at home, the parcel will be left with a neighbour or taken to the nearest pickup point.",
        "Your current balance is $%d.%d, and the next payment of $%d is due on the first of the month.",
        "To protect your account, we will never ask you for your full password over the phone.",
        "I have updated your delivery address, and a confirmation email is on its way to you now.",
        "Our stores are open from eight in the morning until ten at night, seven days a week.",
        "The replacement part is in stock, so we can send it out today at no extra cost to you.",
        "Please keep your receipt, as you will need it if you decide to return the item within %d days.",
        "%s, your appointment with the technician is confirmed for %s at %d o'clock.",
        "We are sorry for the delay, and we have added a credit of $%d to your account as an apology.",
    };
    private static final String[] NAMES = {
        "Alice", "Bob", "Priya", "Miguel", "Chen", "Fatima", "Olivia", "Kenji", "Grace", "Omar", "Sofia", "Liam"
    };
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

    private final Random random;

    public Workload(long seed) {
        this.random = new Random(seed);
    }

    /** The next job text of {@code kind}. */
    public String next(Kind kind) {
        if (kind == Kind.SHORT) {
            return fill(SHORT[random.nextInt(SHORT.length)]);
        }
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 170) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(fill(SENTENCES[random.nextInt(SENTENCES.length)]));
        }
        return sb.toString();
    }

    /** {@code n} job texts, every {@code longEvery}-th one long (0: all short). */
    public List<String> mix(int n, int longEvery) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next(longEvery > 0 && i % longEvery == longEvery - 1 ? Kind.LONG : Kind.SHORT));
        }
        return out;
    }

    private String fill(String template) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char f = template.charAt(i + 1);
                if (f == 's') {
                    sb.append(
                            random.nextBoolean()
                                    ? NAMES[random.nextInt(NAMES.length)]
                                    : DAYS[random.nextInt(DAYS.length)]);
                } else {
                    sb.append(1 + random.nextInt(99));
                }
                i += 2;
                continue;
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }
}
