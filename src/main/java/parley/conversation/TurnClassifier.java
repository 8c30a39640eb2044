package parley.conversation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A per-state classifier of a caller's turn, trained when the script loads on the examples of the transitions open
 * there and on unrelated talk (the last class: the turn moves nothing). It reads the sentence embedding together with
 * the words themselves: an embedding places "Sure, I'm just sitting at my desk anyway." near desks, while its first
 * word says it agrees. Its likelihoods blend that regression with how near the turn comes to each class's nearest
 * example: the regression carries a new phrasing by what it shares with many examples; the nearest example holds
 * close paraphrases, and keeps a single word ("not") from making the regression sure.
 */
final class TurnClassifier {

    /** Words are hashed into this many features: collisions are rare among a script's few thousand words. */
    private static final int WORD_FEATURES = 1 << 14;
    private static final Pattern WORD = Pattern.compile("[a-z0-9']+");
    private static final List<String> FILLERS = List.of("um", "uh", "er", "erm", "oh", "well", "so", "hmm", "ah");

    /** One training turn: its embedding, its word features, and the class it belongs to. */
    record Sample(float[] embedding, int[] words, int label) {
    }

    private final int classes;
    private final int dimensions;
    private final double[][] dense;
    private final double[][] sparse;
    private final double[] bias;
    /** The examples learnt from, to find each class's nearest. */
    private final List<Sample> examples;

    /*
     * Training: multinomial logistic regression by stochastic gradient descent, classes weighted so each counts as
     * much as the others however many examples it has. Accuracy on the sample's evaluation changes by about a point
     * across 15 to 60 epochs, rates of 0.02 to 0.1 and L2 weights of 1e-4 to 3e-3; these are the middle of that.
     */
    private static final int EPOCHS = 30;
    private static final double RATE = 0.05;
    private static final double L2 = 1e-4;
    /*
     * The nearest example's share, and how sharply cosines are told apart (a softmax of cosine x 50). On the sample's
     * tuning half, at most 1 % wrong: 90.9 % right with the regression alone, 93.2 to 94.5 % with shares of 0.3 to
     * 0.5 and sharpness 20 to 100; 0.3 and 50 read the most right.
     */
    private static final double NEAREST_SHARE = 0.3;
    private static final double NEAREST_SHARPNESS = 50;

    TurnClassifier(int classes, List<Sample> samples) {
        this.classes = classes;
        this.dimensions = samples.get(0).embedding().length;
        dense = new double[classes][dimensions];
        sparse = new double[classes][WORD_FEATURES];
        bias = new double[classes];
        examples = List.copyOf(samples);
        int[] perClass = new int[classes];
        samples.forEach(s -> perClass[s.label()]++);
        double[] weight = new double[classes];
        for (int c = 0; c < classes; c++) {
            weight[c] = perClass[c] == 0 ? 0 : (double) samples.size() / (classes * perClass[c]);
        }
        List<Sample> order = new ArrayList<>(samples);
        Random shuffle = new Random(7);
        double[] p = new double[classes];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Collections.shuffle(order, shuffle);
            double step = RATE / (1 + epoch * 0.1);
            for (Sample sample : order) {
                likelihoods(sample.embedding(), sample.words(), p);
                double w = weight[sample.label()];
                for (int c = 0; c < classes; c++) {
                    double gradient = w * (p[c] - (c == sample.label() ? 1 : 0));
                    double[] row = dense[c];
                    float[] x = sample.embedding();
                    for (int d = 0; d < dimensions; d++) {
                        row[d] -= step * (gradient * x[d] + L2 * row[d]);
                    }
                    double[] words = sparse[c];
                    for (int f : sample.words()) {
                        words[f] -= step * (gradient + L2 * words[f]);
                    }
                    bias[c] -= step * gradient;
                }
            }
        }
    }

    /** How likely each class is for a turn, summing to 1. */
    double[] likelihoods(float[] embedding, int[] words) {
        double[] p = new double[classes];
        likelihoods(embedding, words, p);
        double[] nearest = nearest(embedding);
        for (int c = 0; c < classes; c++) {
            p[c] = (1 - NEAREST_SHARE) * p[c] + NEAREST_SHARE * nearest[c];
        }
        return p;
    }

    /** A softmax over each class's nearest example; the vectors are of unit length, so a dot product is a cosine. */
    private double[] nearest(float[] embedding) {
        double[] closest = new double[classes];
        Arrays.fill(closest, -1);
        for (Sample example : examples) {
            float[] x = example.embedding();
            double cosine = 0;
            for (int d = 0; d < dimensions; d++) {
                cosine += x[d] * embedding[d];
            }
            closest[example.label()] = Math.max(closest[example.label()], cosine);
        }
        softmax(closest, NEAREST_SHARPNESS);
        return closest;
    }

    /** Turns scores into likelihoods summing to 1, in place; a higher sharpness tells close scores further apart. */
    private static void softmax(double[] scores, double sharpness) {
        double top = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            top = Math.max(top, score);
        }
        double sum = 0;
        for (int c = 0; c < scores.length; c++) {
            scores[c] = Math.exp(sharpness * (scores[c] - top));
            sum += scores[c];
        }
        for (int c = 0; c < scores.length; c++) {
            scores[c] /= sum;
        }
    }

    /** The regression's likelihoods. */
    private void likelihoods(float[] embedding, int[] words, double[] p) {
        for (int c = 0; c < classes; c++) {
            double z = bias[c];
            double[] row = dense[c];
            for (int d = 0; d < dimensions; d++) {
                z += row[d] * embedding[d];
            }
            for (int f : words) {
                z += sparse[c][f];
            }
            p[c] = z;
        }
        softmax(p, 1);
    }

    /** The words of a turn as features: each word, each pair, the opening words, and whether it negates. */
    static int[] words(String said) {
        String text = said.toLowerCase(Locale.ROOT).replace('’', '\'');
        List<String> tokens = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        List<String> features = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            features.add("w:" + tokens.get(i));
            if (i + 1 < tokens.size()) {
                features.add("p:" + tokens.get(i) + ' ' + tokens.get(i + 1));
            }
        }
        int first = 0;
        while (first < tokens.size() - 1 && FILLERS.contains(tokens.get(first))) {
            first++;
        }
        if (!tokens.isEmpty()) {
            features.add("f:" + tokens.get(first));
            if (first + 1 < tokens.size()) {
                features.add("f2:" + tokens.get(first) + ' ' + tokens.get(first + 1));
            }
        }
        if (tokens.size() <= 2) {
            features.add("short");
        }
        if (Negation.agreesByNegating(said)) {
            features.add("agrees-by-negating");
        } else if (Negation.negative(said)) {
            features.add("negates");
        }
        return features.stream().mapToInt(f -> Math.floorMod(f.hashCode(), WORD_FEATURES)).distinct().toArray();
    }
}
