// SPDX-License-Identifier: MIT
// solhint-disable one-contract-per-file, gas-small-strings, gas-struct-packing, func-name-mixedcase
pragma solidity ^0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {VotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/utils/VotesUpgradeable.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {FluxToken} from "./FluxToken.sol";
import {FluxTest, FluxTestBase} from "../test/utils/FluxTest.sol";

/**
 * @title Shared deployment of FluxToken behind an ERC-1967 (UUPS) proxy
 * @notice Every FluxToken suite deploys the token the way production does: implementation + proxy.
 */
abstract contract FluxTokenFixture is FluxTest {
    uint256 internal constant CAP = 1_000_000_000 ether;
    /// @dev The Timelock of the chain: owner of the token.
    address internal constant TIMELOCK = address(0x7100);

    FluxToken internal implementation;
    FluxToken internal token;

    /// @dev Deploys a fresh implementation and a proxy initialized with `recipients`/`amounts`.
    function deployToken(address[] memory recipients, uint256[] memory amounts) internal returns (FluxToken) {
        implementation = new FluxToken();
        return FluxToken(address(new ERC1967Proxy(address(implementation), initData(CAP, TIMELOCK, recipients, amounts))));
    }

    /// @dev Calldata of `FluxToken.initialize` with the test name and symbol.
    function initData(uint256 cap_, address owner_, address[] memory recipients, uint256[] memory amounts)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeCall(FluxToken.initialize, ("Flux", "FLUX", cap_, owner_, recipients, amounts));
    }

    /// @dev Grants `minter` an absolute mint allowance, as the Timelock would.
    function grantMinter(address minter, uint256 allowance) internal {
        vm.prank(TIMELOCK);
        token.setMinterAllowance(minter, allowance);
    }
}

/**
 * @title FluxToken unit and fuzz tests
 * @notice Storage layout, clock, cap, minter allowances, access control, initialization and upgrades.
 */
contract FluxTokenTest is FluxTokenFixture {
    /// @dev The literal FLUX_TOKEN_STORAGE in FluxToken.sol (private there, so repeated here).
    bytes32 internal constant FLUX_TOKEN_STORAGE_LITERAL =
        0x14440d951fa8a010c6fafb77a4a36644fb2f3c6c9c21d6330623736de3e27600;
    uint256 internal constant ALICE_KEY = 0xA11CE;
    uint256 internal constant ALICE_START = 1_000 ether;
    address internal constant MINTER = address(0x3117);
    address internal constant BOB = address(0xB0B);
    address internal constant STRANGER = address(0xBAD);

    address internal alice;

    /// @notice Deploys the token with an initial allocation to Alice.
    function setUp() public {
        alice = vm.addr(ALICE_KEY);
        vm.label(alice, "alice");
        vm.label(TIMELOCK, "timelock");
        vm.label(MINTER, "minter");
        address[] memory recipients = new address[](1);
        uint256[] memory amounts = new uint256[](1);
        recipients[0] = alice;
        amounts[0] = ALICE_START;
        token = deployToken(recipients, amounts);
    }

    // ------------------------------------------------------------------ storage and clock

    /// @notice The ERC-7201 slot matches its formula, and the minter mapping really lives there.
    function test_storage_slotIsErc7201AndHoldsMinterAllowances() public {
        bytes32 computed =
            keccak256(abi.encode(uint256(keccak256("flux.storage.FluxToken")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(computed, FLUX_TOKEN_STORAGE_LITERAL, "FLUX_TOKEN_STORAGE literal");

        bytes32 entry = keccak256(abi.encode(MINTER, computed)); // slot of minterAllowance[MINTER]
        assertEq(vm.load(address(token), entry), bytes32(0), "slot empty before the grant");
        grantMinter(MINTER, 123_456 ether);
        assertEq(uint256(vm.load(address(token), entry)), 123_456 ether, "allowance stored at the ERC-7201 slot");
        assertEq(vm.load(address(implementation), entry), bytes32(0), "implementation storage untouched");
    }

    /// @notice ERC-6372: the clock is the block timestamp.
    function test_clock_isTimestamp() public {
        assertEq(token.CLOCK_MODE(), "mode=timestamp", "CLOCK_MODE");
        vm.warp(1_700_000_000);
        assertEq(token.clock(), 1_700_000_000, "clock() == block.timestamp");
    }

    /// @notice Vote checkpoints are keyed by timestamp.
    function test_getPastVotes_keyedByTimestamp() public {
        vm.warp(1_000);
        vm.prank(alice);
        token.delegate(alice);
        vm.warp(2_000);
        vm.prank(alice);
        token.transfer(BOB, 400 ether);
        vm.warp(3_000);
        assertEq(token.getPastVotes(alice, 1_500), ALICE_START, "votes between the two actions");
        assertEq(token.getPastVotes(alice, 2_000), ALICE_START - 400 ether, "votes at the transfer second");
        assertEq(token.getPastTotalSupply(999), ALICE_START, "supply before any checkpoint lookup");
        vm.expectRevert(abi.encodeWithSelector(VotesUpgradeable.ERC5805FutureLookup.selector, 3_000, uint48(3_000)));
        token.getPastVotes(alice, 3_000);
    }

    // ------------------------------------------------------------------ minting

    /// @notice The cap holds against minters, whatever their allowance.
    function test_mint_cannotExceedCap() public {
        grantMinter(MINTER, type(uint256).max);
        vm.prank(MINTER);
        token.mint(BOB, CAP - ALICE_START);
        assertEq(token.totalSupply(), CAP, "supply at cap");
        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, CAP + 1, CAP));
        vm.prank(MINTER);
        token.mint(BOB, 1);
    }

    /// @notice Each mint lowers the allowance; going past it reverts with the exact figures.
    function test_mint_consumesAllowance() public {
        grantMinter(MINTER, 100 ether);
        vm.expectEmit();
        emit FluxToken.Minted(MINTER, BOB, 30 ether, 70 ether);
        vm.prank(MINTER);
        token.mint(BOB, 30 ether);
        assertEq(token.minterAllowance(MINTER), 70 ether, "allowance after mint");
        assertEq(token.balanceOf(BOB), 30 ether, "minted balance");

        vm.expectRevert(
            abi.encodeWithSelector(FluxToken.FluxMintAllowanceExceeded.selector, MINTER, 70 ether, 70 ether + 1)
        );
        vm.prank(MINTER);
        token.mint(BOB, 70 ether + 1);

        vm.prank(MINTER);
        token.mint(BOB, 70 ether);
        assertEq(token.minterAllowance(MINTER), 0, "allowance exhausted");
    }

    /// @notice An address without allowance cannot mint at all.
    function test_mint_withoutAllowanceReverts() public {
        vm.expectRevert(abi.encodeWithSelector(FluxToken.FluxMintAllowanceExceeded.selector, STRANGER, 0, 1));
        vm.prank(STRANGER);
        token.mint(STRANGER, 1);
    }

    /// @notice Allowances are absolute (a repeated grant does not add up) and the zero minter is refused.
    function test_setMinterAllowance_isAbsolute() public {
        grantMinter(MINTER, 100 ether);
        grantMinter(MINTER, 100 ether);
        assertEq(token.minterAllowance(MINTER), 100 ether, "repeated grant");
        vm.expectEmit();
        emit FluxToken.MinterAllowanceSet(MINTER, 100 ether, 40 ether);
        grantMinter(MINTER, 40 ether);
        assertEq(token.minterAllowance(MINTER), 40 ether, "lowered grant");
        vm.expectRevert(FluxToken.FluxZeroAddress.selector);
        grantMinter(address(0), 1);
    }

    /// @notice Only the owner (Timelock) may set allowances.
    function test_setMinterAllowance_onlyOwner() public {
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, STRANGER));
        vm.prank(STRANGER);
        token.setMinterAllowance(STRANGER, 1);
        assertEq(token.minterAllowance(STRANGER), 0, "no allowance granted");
    }

    // ------------------------------------------------------------------ initialization and upgrades

    /// @notice The proxy cannot be initialized twice, nor the implementation at all.
    function test_initialize_onlyOnceAndNeverOnImplementation() public {
        address[] memory none = new address[](0);
        uint256[] memory noAmounts = new uint256[](0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        token.initialize("Evil", "EVIL", CAP, STRANGER, none, noAmounts);

        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize("Evil", "EVIL", CAP, STRANGER, none, noAmounts);
        assertEq(implementation.owner(), address(0), "implementation has no owner");
        assertEq(token.owner(), TIMELOCK, "proxy owner unchanged");
    }

    /// @notice initialize rejects a zero owner, a cap above uint208, mismatched arrays and over-cap allocations.
    function test_initialize_validatesArguments() public {
        FluxToken impl = new FluxToken();
        address[] memory one = new address[](1);
        uint256[] memory none = new uint256[](0);
        uint256[] memory tooMuch = new uint256[](1);
        one[0] = BOB;
        tooMuch[0] = CAP + 1;

        vm.expectRevert(FluxToken.FluxZeroAddress.selector);
        new ERC1967Proxy(address(impl), initData(CAP, address(0), new address[](0), none));

        uint256 tooLarge = uint256(type(uint208).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(FluxToken.FluxCapTooLarge.selector, tooLarge, type(uint208).max));
        new ERC1967Proxy(address(impl), initData(tooLarge, TIMELOCK, new address[](0), none));

        vm.expectRevert(FluxToken.FluxBadAllocation.selector);
        new ERC1967Proxy(address(impl), initData(CAP, TIMELOCK, one, none));

        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, CAP + 1, CAP));
        new ERC1967Proxy(address(impl), initData(CAP, TIMELOCK, one, tooMuch));
    }

    /// @notice Only the owner may upgrade.
    function test_upgradeToAndCall_byNonOwnerReverts() public {
        FluxToken next = new FluxToken();
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, STRANGER));
        vm.prank(STRANGER);
        token.upgradeToAndCall(address(next), "");
    }

    /// @notice An owner upgrade switches the implementation and keeps balances and allowances.
    function test_upgradeToAndCall_byOwnerKeepsState() public {
        grantMinter(MINTER, 5 ether);
        FluxToken next = new FluxToken();
        vm.prank(TIMELOCK);
        token.upgradeToAndCall(address(next), "");
        bytes32 implementationSlot = bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1);
        assertEq(vm.load(address(token), implementationSlot), bytes32(uint256(uint160(address(next)))), "impl slot");
        assertEq(token.minterAllowance(MINTER), 5 ether, "allowance survives");
        assertEq(token.balanceOf(alice), ALICE_START, "balance survives");
        assertEq(token.cap(), CAP, "cap survives");
    }

    /// @notice Ownership moves in two steps: the new owner must accept.
    function test_transferOwnership_isTwoStep() public {
        vm.prank(TIMELOCK);
        token.transferOwnership(BOB);
        assertEq(token.owner(), TIMELOCK, "owner until accepted");
        assertEq(token.pendingOwner(), BOB, "pending owner");
        vm.prank(BOB);
        token.acceptOwnership();
        assertEq(token.owner(), BOB, "owner after accept");
    }

    /// @notice EIP-2612 permit with the proxy's EIP-712 domain.
    function test_permit_setsAllowance() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                alice,
                BOB,
                250 ether,
                token.nonces(alice),
                deadline
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ALICE_KEY, digest);
        token.permit(alice, BOB, 250 ether, deadline, v, r, s);
        assertEq(token.allowance(alice, BOB), 250 ether, "permit allowance");
        assertEq(token.nonces(alice), 1, "nonce used");
    }

    // ------------------------------------------------------------------ fuzz

    /// @notice Random mint, transfer and burn amounts never take the supply past the cap.
    /// @param mintAmount Amount the minter tries to mint (may exceed the room under the cap).
    /// @param transferAmount Amount Alice sends to Bob.
    /// @param burnAmount Amount Bob burns.
    function testFuzz_mint_supplyNeverExceedsCap(uint256 mintAmount, uint256 transferAmount, uint256 burnAmount) public {
        grantMinter(MINTER, type(uint256).max);
        uint256 supplyBefore = token.totalSupply();
        mintAmount = bound(mintAmount, 0, 2 * CAP);
        bool fits = !(supplyBefore + mintAmount > CAP);
        if (!fits) {
            vm.expectRevert(
                abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, supplyBefore + mintAmount, CAP)
            );
        }
        vm.prank(MINTER);
        token.mint(alice, mintAmount);
        uint256 minted = fits ? mintAmount : 0;

        transferAmount = bound(transferAmount, 0, token.balanceOf(alice));
        vm.prank(alice);
        token.transfer(BOB, transferAmount);

        burnAmount = bound(burnAmount, 0, token.balanceOf(BOB));
        vm.prank(BOB);
        token.burn(burnAmount);

        assertLe(token.totalSupply(), token.cap(), "supply <= cap");
        assertEq(token.totalSupply(), supplyBefore + minted - burnAmount, "supply accounting");
        assertEq(token.balanceOf(alice) + token.balanceOf(BOB), token.totalSupply(), "balances sum to supply");
    }

    /// @notice allowance_before - minted == allowance_after, for any allowance, recipient and mint that fits.
    /// @param allowance The granted allowance.
    /// @param amount The amount minted (bounded by allowance and cap room).
    /// @param to The recipient (any address but zero, which ERC-20 refuses).
    function testFuzz_mint_minterAllowanceAccounting(uint256 allowance, uint256 amount, address to) public {
        vm.assume(to != address(0));
        grantMinter(MINTER, allowance);
        uint256 room = CAP - token.totalSupply();
        amount = bound(amount, 0, allowance < room ? allowance : room);
        uint256 balanceBefore = token.balanceOf(to);
        vm.prank(MINTER);
        token.mint(to, amount);
        assertEq(token.minterAllowance(MINTER), allowance - amount, "allowance_before - minted == allowance_after");
        assertEq(token.balanceOf(to), balanceBefore + amount, "minted to recipient");
    }

    /// @notice Any mint above the allowance reverts with the exact figures and changes nothing.
    /// @param allowance The granted allowance.
    /// @param amount The amount requested (bounded to exceed the allowance).
    function testFuzz_mint_aboveAllowanceReverts(uint256 allowance, uint256 amount) public {
        allowance = bound(allowance, 0, type(uint256).max - 1);
        amount = bound(amount, allowance + 1, type(uint256).max);
        grantMinter(MINTER, allowance);
        vm.expectRevert(
            abi.encodeWithSelector(FluxToken.FluxMintAllowanceExceeded.selector, MINTER, allowance, amount)
        );
        vm.prank(MINTER);
        token.mint(BOB, amount);
        assertEq(token.minterAllowance(MINTER), allowance, "allowance unchanged");
    }
}

/**
 * @title Invariant handler for FluxToken
 * @notice Performs bounded random actions among a fixed set of actors, advancing time 1 s to 1 day after
 *         each, and records a checkpoint snapshot of every second it leaves behind.
 * @dev No action may revert (the invariant tests set failOnRevert), so every amount is bounded to what
 *      the token accepts. Only actors ever hold FLUX or receive delegations.
 */
contract FluxTokenHandler is FluxTestBase {
    uint256 internal constant ACTORS = 5;
    uint256 internal constant MAX_SNAPSHOTS = 64;

    /// @dev Votes and supply as they stood at the end of second `timepoint`.
    struct Snapshot {
        uint48 timepoint;
        uint256 totalSupply;
        uint256[ACTORS] votes;
    }

    /// @notice The token under test.
    FluxToken public token;
    /// @notice The address holding a minter allowance.
    address public minter;
    /// @notice Total minted through the handler.
    uint256 public ghostMinted;
    /// @notice Total burned through the handler.
    uint256 public ghostBurned;
    /// @notice Number of handler actions executed.
    uint256 public actionCount;

    address[ACTORS] internal _actors;
    Snapshot[] internal _snapshots;

    /// @notice Wires the handler to a deployed token.
    /// @param token_ The token.
    /// @param minter_ An address the Timelock granted a mint allowance.
    /// @param actors_ The actors; they hold all of the supply.
    constructor(FluxToken token_, address minter_, address[ACTORS] memory actors_) {
        token = token_;
        minter = minter_;
        _actors = actors_;
    }

    /// @notice `from` transfers part of its balance to `to`.
    /// @param fromSeed Picks the sender.
    /// @param toSeed Picks the recipient.
    /// @param amount Bounded to the sender's balance.
    /// @param timeSeed Picks the time advance after the action.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount, uint256 timeSeed) external {
        address from = actorAt(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(actorAt(toSeed), amount);
        afterAction(timeSeed);
    }

    /// @notice `from` delegates its votes to an actor (possibly itself).
    /// @param fromSeed Picks the delegator.
    /// @param toSeed Picks the delegatee.
    /// @param timeSeed Picks the time advance after the action.
    function delegate(uint256 fromSeed, uint256 toSeed, uint256 timeSeed) external {
        vm.prank(actorAt(fromSeed));
        token.delegate(actorAt(toSeed));
        afterAction(timeSeed);
    }

    /// @notice The minter mints to an actor, within its allowance and the cap.
    /// @param toSeed Picks the recipient.
    /// @param amount Bounded to min(allowance, cap - supply).
    /// @param timeSeed Picks the time advance after the action.
    function mint(uint256 toSeed, uint256 amount, uint256 timeSeed) external {
        uint256 allowance = token.minterAllowance(minter);
        uint256 room = token.cap() - token.totalSupply();
        amount = bound(amount, 0, allowance < room ? allowance : room);
        vm.prank(minter);
        token.mint(actorAt(toSeed), amount);
        ghostMinted += amount;
        afterAction(timeSeed);
    }

    /// @notice An actor burns part of its balance.
    /// @param fromSeed Picks the burner.
    /// @param amount Bounded to the burner's balance.
    /// @param timeSeed Picks the time advance after the action.
    function burn(uint256 fromSeed, uint256 amount, uint256 timeSeed) external {
        address from = actorAt(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
        ghostBurned += amount;
        afterAction(timeSeed);
    }

    /// @notice `owner` approves `spender`, which then moves the approved amount to `to`.
    /// @param ownerSeed Picks the token owner.
    /// @param spenderSeed Picks the spender (possibly the owner).
    /// @param toSeed Picks the recipient.
    /// @param amount Bounded to the owner's balance.
    /// @param timeSeed Picks the time advance after the action.
    function approveAndTransferFrom(
        uint256 ownerSeed,
        uint256 spenderSeed,
        uint256 toSeed,
        uint256 amount,
        uint256 timeSeed
    ) external {
        address owner = actorAt(ownerSeed);
        address spender = actorAt(spenderSeed);
        amount = bound(amount, 0, token.balanceOf(owner));
        vm.prank(owner);
        token.approve(spender, amount);
        vm.prank(spender);
        token.transferFrom(owner, actorAt(toSeed), amount);
        afterAction(timeSeed);
    }

    /// @notice The number of actors.
    /// @return The fixed actor count.
    function actorCount() external pure returns (uint256) {
        return ACTORS;
    }

    /// @notice The actor with index `index`.
    /// @param index In [0, actorCount()).
    /// @return The actor's address.
    function actor(uint256 index) external view returns (address) {
        return _actors[index];
    }

    /// @notice The number of recorded snapshots.
    /// @return The count.
    function snapshotCount() external view returns (uint256) {
        return _snapshots.length;
    }

    /// @notice A recorded snapshot.
    /// @param index In [0, snapshotCount()).
    /// @return timepoint The second it describes (strictly in the past).
    /// @return totalSupply The supply at the end of that second.
    /// @return votes Each actor's votes at the end of that second.
    function snapshot(uint256 index)
        external
        view
        returns (uint48 timepoint, uint256 totalSupply, uint256[ACTORS] memory votes)
    {
        Snapshot storage s = _snapshots[index];
        return (s.timepoint, s.totalSupply, s.votes);
    }

    function actorAt(uint256 seed) internal view returns (address) {
        return _actors[seed % ACTORS];
    }

    /// @dev Records the state of this second (final: time moves on right after), then advances time.
    ///      vm.warp persists across the runner's calls within one run, so the next action happens later.
    function afterAction(uint256 timeSeed) internal {
        ++actionCount;
        if (_snapshots.length < MAX_SNAPSHOTS) {
            Snapshot storage s = _snapshots.push();
            s.timepoint = token.clock();
            s.totalSupply = token.totalSupply();
            for (uint256 i = 0; i < ACTORS; ++i) {
                s.votes[i] = token.getVotes(_actors[i]);
            }
        }
        vm.warp(block.timestamp + bound(timeSeed, 1, 1 days));
    }
}

/**
 * @title FluxToken invariant tests
 * @notice Votes follow delegated balances, supply stays consistent and under the cap, and checkpoint
 *         history never changes once written.
 * @dev Invariant runs and depth come from hardhat.config.ts; each invariant sets failOnRevert so a
 *      handler action that reverts (a handler bug or a token regression) fails the test instead of
 *      being skipped silently.
 */
contract FluxTokenInvariantTest is FluxTokenFixture {
    uint256 internal constant ACTOR_START = 10_000 ether;
    uint256 internal constant MINTER_ALLOWANCE = CAP / 2;
    address internal constant MINTER = address(0x3117);

    FluxTokenHandler internal handler;

    /// @notice Deploys the token with five funded actors, a minter, and the handler as the only target.
    function setUp() public {
        address[5] memory actors;
        address[] memory recipients = new address[](5);
        uint256[] memory amounts = new uint256[](5);
        for (uint256 i = 0; i < 5; ++i) {
            actors[i] = address(uint160(0xAC7000 + i));
            recipients[i] = actors[i];
            amounts[i] = ACTOR_START;
        }
        token = deployToken(recipients, amounts);
        grantMinter(MINTER, MINTER_ALLOWANCE);
        handler = new FluxTokenHandler(token, MINTER, actors);

        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = FluxTokenHandler.transfer.selector;
        selectors[1] = FluxTokenHandler.delegate.selector;
        selectors[2] = FluxTokenHandler.mint.selector;
        selectors[3] = FluxTokenHandler.burn.selector;
        selectors[4] = FluxTokenHandler.approveAndTransferFrom.selector;
        targetContract(address(handler));
        targetSelector(address(handler), selectors);
    }

    /// @notice Each actor's votes equal the summed balances of the actors delegating to it.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_votesEqualDelegatedBalances() public view {
        uint256 n = handler.actorCount();
        for (uint256 i = 0; i < n; ++i) {
            address delegatee = handler.actor(i);
            uint256 delegated = 0;
            for (uint256 j = 0; j < n; ++j) {
                address holder = handler.actor(j);
                if (token.delegates(holder) == delegatee) delegated += token.balanceOf(holder);
            }
            assertEq(token.getVotes(delegatee), delegated, "votes == balances delegated to the actor");
        }
    }

    /// @notice The actors' votes together never exceed the supply.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_votesBoundedBySupply() public view {
        uint256 votes = 0;
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            votes += token.getVotes(handler.actor(i));
        }
        assertLe(votes, token.totalSupply(), "sum of votes <= totalSupply");
    }

    /// @notice Supply stays under the cap and matches what was minted and burned; the minter's
    ///         allowance went down by exactly what it minted.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_supplyAccounting() public view {
        assertLe(token.totalSupply(), token.cap(), "totalSupply <= cap");
        assertEq(
            token.totalSupply(),
            5 * ACTOR_START + handler.ghostMinted() - handler.ghostBurned(),
            "totalSupply == initial + minted - burned"
        );
        assertEq(token.minterAllowance(MINTER), MINTER_ALLOWANCE - handler.ghostMinted(), "allowance accounting");
    }

    /// @notice The actors hold the whole supply.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_balancesSumToSupply() public view {
        uint256 sum = 0;
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            sum += token.balanceOf(handler.actor(i));
        }
        assertEq(sum, token.totalSupply(), "sum of balances == totalSupply");
    }

    /// @notice Past votes and past supply read now equal what was recorded at the time.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_checkpointHistoryIsImmutable() public view {
        for (uint256 k = 0; k < handler.snapshotCount(); ++k) {
            (uint48 t, uint256 supply, uint256[5] memory votes) = handler.snapshot(k);
            assertEq(token.getPastTotalSupply(t), supply, "getPastTotalSupply(t) == recorded");
            for (uint256 i = 0; i < votes.length; ++i) {
                assertEq(token.getPastVotes(handler.actor(i), t), votes[i], "getPastVotes(actor, t) == recorded");
            }
        }
    }
}
