// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAggregatorV3} from "../markets/interfaces/IAggregatorV3.sol";

/// @notice Test and local-network AggregatorV3 feed whose answer anyone may set.
contract MockAggregator is IAggregatorV3 {
    uint8 private immutable DECIMALS;
    uint80 private _roundId;
    int256 private _answer;
    uint256 private _updatedAt;
    uint80 private _answeredInRound;

    /// @notice The answer changed.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// @param decimals_ Decimals of the answer.
    /// @param answer_ Initial answer (timestamped now).
    constructor(uint8 decimals_, int256 answer_) {
        DECIMALS = decimals_;
        setAnswer(answer_);
    }

    /// @notice Sets a new answer timestamped now, in a new complete round.
    /// @param answer_ The answer.
    function setAnswer(int256 answer_) public {
        setRound(_roundId + 1, answer_, block.timestamp, _roundId + 1);
    }

    /// @notice Sets every field of the latest round (to simulate stale or broken feeds).
    /// @param roundId_ Round id.
    /// @param answer_ Answer.
    /// @param updatedAt_ Timestamp.
    /// @param answeredInRound_ Round the answer was computed in.
    function setRound(uint80 roundId_, int256 answer_, uint256 updatedAt_, uint80 answeredInRound_) public {
        _roundId = roundId_;
        _answer = answer_;
        _updatedAt = updatedAt_;
        _answeredInRound = answeredInRound_;
        emit AnswerUpdated(answer_, roundId_, updatedAt_);
    }

    /// @inheritdoc IAggregatorV3
    function decimals() external view returns (uint8) {
        return DECIMALS;
    }

    /// @notice The latest answer, as Chainlink aggregators also expose it (AggregatorV2V3Interface);
    ///         Aave v3's AaveOracle reads prices this way (the gas bench's Aave peer).
    /// @return The answer of the latest round.
    function latestAnswer() external view returns (int256) {
        return _answer;
    }

    /// @inheritdoc IAggregatorV3
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (_roundId, _answer, _updatedAt, _updatedAt, _answeredInRound);
    }
}
