package dev.ttscluster.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The repeated-phrase workload: the replies of a contact centre's voice agent, one job per reply,
 * taken turn by turn from many conversations going on at once. A conversation greets the caller,
 * asks who they are, confirms their name, handles one request (order status, refund, balance,
 * address change, technician visit, password reset) with its own numbers, dates and amounts,
 * sometimes asks the caller to repeat, asks whether there is anything else and says goodbye by name.
 * Recurring prompts repeat word for word; names, numbers, amounts and dates vary (names from a list
 * of 60, order numbers, amounts and codes drawn afresh). The same seed gives the same replies in the
 * same order. Not thread-safe.
 */
public final class ServiceScript implements Supplier<String> {
    private static final String[] NAMES = {
        "Alice", "Bob", "Priya", "Miguel", "Chen", "Fatima", "Olivia", "Kenji", "Grace", "Omar", "Sofia", "Liam",
        "Hannah", "Ravi", "Elena", "Marcus", "Yuki", "Amara", "Daniel", "Leila", "Tom", "Ingrid", "Carlos", "Mei",
        "Noah", "Zara", "Peter", "Anika", "Samuel", "Rosa", "Victor", "Nadia", "George", "Ama", "Lucas", "Ella", "Hugo",
        "Maya", "Felix", "Aisha", "Oscar", "Clara", "Ivan", "Lina", "Jonas", "Sara", "Mateo", "Nora", "Arjun", "Julia",
        "Kofi", "Emma", "Ali", "Freya", "Diego", "Lucy", "Tariq", "Hazel", "Erik", "Iris"
    };
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    private static final String[] ITEMS = {
        "blender",
        "jacket",
        "phone case",
        "desk lamp",
        "kettle",
        "backpack",
        "printer",
        "coffee grinder",
        "rug",
        "headset"
    };
    private static final String[] PROBLEMS = {
        "damaged", "late", "in the wrong colour", "with a part missing", "in the wrong size", "without its charger"
    };
    private static final String[] MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December"
    };

    private final Random random;
    private final List<Deque<String>> open = new ArrayList<>();

    /**
     * @param seed the same seed gives the same replies
     * @param concurrent conversations going on at once; each reply comes from one of them at random
     */
    public ServiceScript(long seed, int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("concurrent must be at least 1");
        }
        this.random = new Random(seed);
        for (int i = 0; i < concurrent; i++) {
            open.add(conversation());
        }
    }

    /** The next reply: the next turn of a conversation picked at random (a finished one is replaced). */
    @Override
    public String get() {
        int i = random.nextInt(open.size());
        String turn = open.get(i).pollFirst();
        if (open.get(i).isEmpty()) {
            open.set(i, conversation());
        }
        return turn;
    }

    /** {@code n} replies. */
    public List<String> take(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(get());
        }
        return out;
    }

    private Deque<String> conversation() {
        Deque<String> turns = new ArrayDeque<>();
        String name = pick(NAMES);
        turns.add("Thank you for calling Northwind customer service. This call may be recorded for training purposes. "
                + "How can I help you today?");
        if (random.nextInt(5) == 0) {
            turns.add("Sorry, I didn't quite catch that. Could you say it again, please?");
        }
        turns.add(
                random.nextBoolean()
                        ? "Could I have your order number, please?"
                        : "Can you confirm your full name and postcode, please?");
        turns.add("Thank you, " + name + ". Let me pull up your account. One moment, please.");
        switch (random.nextInt(6)) {
            case 0 -> {
                turns.add("Your order " + digits(6) + " left our warehouse on " + pick(DAYS)
                        + ". It should arrive within " + (2 + random.nextInt(4)) + " business days.");
                turns.add("You will receive a text message with a tracking link before it arrives.");
            }
            case 1 -> {
                turns.add("I understand that the " + pick(ITEMS) + " you ordered arrived " + pick(PROBLEMS)
                        + ", and I am sorry about that.");
                turns.add("I have started a refund of $" + (5 + random.nextInt(295))
                        + " to your original payment method.");
                turns.add("It can take three to five business days to appear on your statement.");
            }
            case 2 -> {
                turns.add("Your current balance is $" + (10 + random.nextInt(490)) + "." + (10 + random.nextInt(90))
                        + ". Your next payment is due on " + pick(MONTHS) + " " + (1 + random.nextInt(28)) + ".");
                turns.add("Would you like to set up automatic payments?");
            }
            case 3 -> {
                turns.add("I have updated your delivery address. A confirmation email is on its way to you now.");
            }
            case 4 -> {
                int from = 8 + random.nextInt(8);
                turns.add("Your technician visit is booked for " + pick(DAYS) + " between " + from + " and "
                        + (from + 2) + " o'clock. Please make sure someone over eighteen is at home.");
            }
            default -> {
                turns.add("For your security, I need to send you a one-time code. Your reference is " + letters(2) + " "
                        + digits(4) + ".");
                turns.add(
                        "I have sent a reset link to the email address on file. The link expires in twenty-four hours.");
            }
        }
        if (random.nextInt(4) == 0) {
            turns.add("Please hold while I check that for you.");
        }
        turns.add("Is there anything else I can help you with today?");
        turns.add("Thank you for calling, " + name + ". Have a great day!");
        return turns;
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    private String digits(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + (i == 0 ? 1 + random.nextInt(9) : random.nextInt(10))));
        }
        return sb.toString();
    }

    private String letters(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('A' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
