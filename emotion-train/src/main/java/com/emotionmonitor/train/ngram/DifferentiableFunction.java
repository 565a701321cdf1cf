package com.emotionmonitor.train.ngram;

/** A smooth function to minimise: returns f(x) and writes its gradient into {@code gradient}. */
interface DifferentiableFunction {

    int dimension();

    double valueAndGradient(double[] x, double[] gradient);
}
