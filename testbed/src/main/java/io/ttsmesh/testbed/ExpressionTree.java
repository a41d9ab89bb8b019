package io.ttsmesh.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A mutable expression tree over integer literals, {@code + - *} and parentheses: the state a
 * solution works on. Each correct step reduces one operation whose two operands are numbers.
 */
public final class ExpressionTree {

    /** A node: a number ({@link #isNumber()}) or a binary operation on two nodes. */
    public static final class Node {
        private Operator operator;
        private Node left;
        private Node right;
        private long value;

        private Node(long value) {
            this.value = value;
        }

        private Node(Operator operator, Node left, Node right) {
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        public boolean isNumber() {
            return operator == null;
        }

        public Operator operator() {
            return operator;
        }

        public Node left() {
            return left;
        }

        public Node right() {
            return right;
        }

        /** The literal or reduced value of a number node. */
        public long value() {
            if (!isNumber()) {
                throw new IllegalStateException("not a number");
            }
            return value;
        }

        /** Both operands are numbers: this operation can be reduced now. */
        public boolean isReady() {
            return !isNumber() && left.isNumber() && right.isNumber();
        }

        private Node copy() {
            return isNumber() ? new Node(value) : new Node(operator, left.copy(), right.copy());
        }
    }

    private final Node root;

    private ExpressionTree(Node root) {
        this.root = root;
    }

    public static ExpressionTree number(long value) {
        return new ExpressionTree(new Node(value));
    }

    public static ExpressionTree operation(Operator op, ExpressionTree left, ExpressionTree right) {
        return new ExpressionTree(new Node(op, left.root.copy(), right.root.copy()));
    }

    /** Parses a question: non-negative integers, {@code + - *}, parentheses, no spaces. */
    public static ExpressionTree parse(String text) {
        Objects.requireNonNull(text, "text");
        Parser p = new Parser(text);
        Node n = p.expression();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.charAt(p.pos) + "' at " + p.pos + " in " + text);
        }
        return new ExpressionTree(n);
    }

    public ExpressionTree copy() {
        return new ExpressionTree(root.copy());
    }

    public Node root() {
        return root;
    }

    /** Fully reduced to a single number. */
    public boolean isReduced() {
        return root.isNumber();
    }

    /** Value of the whole expression (without changing the tree). */
    public long evaluate() {
        return evaluate(root);
    }

    /** Number of operations still in the tree. */
    public int operationCount() {
        return postOrderOperations().size();
    }

    /** The operation nodes in post-order: the canonical evaluation order. */
    public List<Node> postOrderOperations() {
        List<Node> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    /** Replaces a ready operation node by its value. */
    public void reduce(Node node) {
        if (!node.isReady()) {
            throw new IllegalArgumentException("operands are not numbers yet");
        }
        node.value = node.operator.apply(node.left.value, node.right.value);
        node.operator = null;
        node.left = null;
        node.right = null;
    }

    /** The expression with the minimal parentheses that parse back to this tree. */
    public String render() {
        return render(root);
    }

    @Override
    public String toString() {
        return render();
    }

    private static long evaluate(Node n) {
        return n.isNumber() ? n.value : n.operator.apply(evaluate(n.left), evaluate(n.right));
    }

    private static void collect(Node n, List<Node> out) {
        if (n.isNumber()) {
            return;
        }
        collect(n.left, out);
        collect(n.right, out);
        out.add(n);
    }

    private static String render(Node n) {
        if (n.isNumber()) {
            return Long.toString(n.value);
        }
        int p = n.operator.precedence();
        String l = render(n.left);
        if (!n.left.isNumber() && n.left.operator.precedence() < p) {
            l = "(" + l + ")";
        }
        String r = render(n.right);
        if (!n.right.isNumber() && n.right.operator.precedence() <= p) {
            r = "(" + r + ")";
        }
        return l + n.operator.symbol() + r;
    }

    /** Recursive descent: expression = term {(+|-) term}; term = factor {* factor}. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Node expression() {
            Node n = term();
            while (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                Operator op = Operator.of(text.charAt(pos++));
                n = new Node(op, n, term());
            }
            return n;
        }

        Node term() {
            Node n = factor();
            while (pos < text.length() && text.charAt(pos) == '*') {
                pos++;
                n = new Node(Operator.TIMES, n, factor());
            }
            return n;
        }

        Node factor() {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end of " + text);
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Node n = expression();
                if (pos >= text.length() || text.charAt(pos) != ')') {
                    throw new IllegalArgumentException("missing ) in " + text);
                }
                pos++;
                return n;
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + start + " in " + text);
            }
            return new Node(Long.parseLong(text.substring(start, pos)));
        }
    }
}
